// kill -9 of latch-server in the middle of a command stream: after a restart on the same data,
// every command the server acknowledged is there, nothing is half-written, hash chains are
// intact, the stored rows equal the fold of their events, and replays are recognised.
#include "latch/casefold.h"
#include "latch/hashing.h"
#include "latch/ids.h"
#include "serverprocess.h"
#include "wsclient.h"

#include <QtTest>

#include <google/protobuf/util/message_differencer.h>

#include <set>

using namespace latch;

class CrashTest : public QObject {
    Q_OBJECT

private:
    static QString signIn(WsClient& client, const ServerProcess& server, const QString& user)
    {
        if (!client.open(server.url()))
            return {};
        const QString token = client.login(user, "latch-demo");
        auto welcome = client.hello(token);
        return welcome && welcome->has_welcome() ? token : QString();
    }

private Q_SLOTS:
    void acknowledgedCommandsSurviveKill()
    {
        QTemporaryDir dir;
        ServerProcess server(dir.path());
        QVERIFY2(server.start({"--demo"}), qPrintable(server.lastError()));

        WsClient client;
        QVERIFY(!signIn(client, server, "mkim").isEmpty());
        std::vector<std::string> caseIds;
        for (int i = 0; i < 3; ++i) {
            v1::Command create;
            create.mutable_create_case()->set_type("refund");
            create.mutable_create_case()->set_title("Crash test case");
            auto r = client.command(create);
            QVERIFY(r && r->accepted());
            caseIds.push_back(r->case_id());
        }

        // Pipeline many commands without waiting, then kill the server while results still arrive.
        constexpr int total = 20000;
        std::vector<v1::Command> sent;
        for (int i = 0; i < total; ++i) {
            v1::Command c;
            c.set_command_id(newUuid());
            c.mutable_add_note()->set_case_id(caseIds[i % caseIds.size()]);
            c.mutable_add_note()->set_text("note " + std::to_string(i));
            v1::Envelope e;
            *e.mutable_command() = c;
            client.send(e);
            sent.push_back(c);
        }
        std::map<std::string, v1::CommandResult> acked;
        while (acked.size() < 200) {
            auto reply = client.next(10000);
            QVERIFY2(reply, "the server stopped answering before the kill");
            if (reply->has_command_result() && reply->command_result().accepted())
                acked[reply->command_result().command_id()] = reply->command_result();
        }
        server.kill();
        // Results already on the wire before the kill count as acknowledged too.
        while (auto reply = client.next(200)) {
            if (reply->has_command_result() && reply->command_result().accepted())
                acked[reply->command_result().command_id()] = reply->command_result();
        }
        QVERIFY(acked.size() >= 200);
        QVERIFY2(acked.size() < std::size_t(total), "the kill came too late to test anything");

        ServerProcess again(dir.path());
        QVERIFY2(again.start({"--demo"}), qPrintable(again.lastError()));
        WsClient after;
        QVERIFY(!signIn(after, again, "mkim").isEmpty());

        std::set<std::string> stored;
        std::uint64_t events = 0;
        for (const auto& id : caseIds) {
            v1::Query q;
            q.mutable_get_timeline()->set_case_id(id);
            auto result = after.query(q);
            QVERIFY(result && result->ok());
            std::vector<v1::Event> history(result->events().begin(), result->events().end());
            events += history.size();
            for (const auto& e : history)
                stored.insert(e.command_id());
            const auto problems = verifyCaseChain(history);
            QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().message.c_str());
            // The row the server keeps equals the fold of what it stored: nothing half-written.
            const v1::Case folded = latch::foldEvents(history);
            QVERIFY(google::protobuf::util::MessageDifferencer::Equals(folded, result->cases(0)));
        }
        for (const auto& [commandId, result] : acked)
            QVERIFY2(stored.count(commandId) == 1, "an acknowledged command is missing after the crash");

        // An acknowledged command sent again is recognised and appends nothing.
        const auto& [firstId, firstResult] = *acked.begin();
        v1::Command replay;
        for (const auto& c : sent) {
            if (c.command_id() == firstId)
                replay = c;
        }
        auto r = after.command(replay);
        QVERIFY(r && r->replayed());
        QCOMPARE(r->seqs(0), firstResult.seqs(0));
        QCOMPARE(again.stop(), 0);
        qInfo("acknowledged %zu of %d commands before the kill; %llu events on the cases after restart",
              acked.size(), total, static_cast<unsigned long long>(events));
    }
};

QTEST_GUILESS_MAIN(CrashTest)
#include "crashtest.moc"
