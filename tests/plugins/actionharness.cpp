#include "actionharness.h"

#include "serverprocess.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QUuid>

namespace actionharness {

namespace {

const QString kPassword = QStringLiteral("latch-demo");

bool signIn(WsClient& client, const ServerProcess& server, const QString& user)
{
    if (!client.open(server.url()))
        return false;
    const QString token = client.login(user, kPassword);
    return !token.isEmpty() && client.hello(token);
}

} // namespace

QString writeConfig(const QString& path, const QString& pluginsYaml)
{
    QFile sample(qEnvironmentVariable("LATCH_SOURCE_DIR") + "/resources/config/latch.yaml");
    if (!sample.open(QIODevice::ReadOnly))
        return {};
    QString yaml = QString::fromUtf8(sample.readAll());
    // A section the sample has too (intake:) replaces the sample's: a key given twice is an error.
    static const QRegularExpression topKey(QStringLiteral("^([a-z_]+):"),
                                           QRegularExpression::MultilineOption);
    for (auto it = topKey.globalMatch(pluginsYaml); it.hasNext();) {
        const QString key = it.next().captured(1);
        const QRegularExpression section(
            QStringLiteral("^%1:.*?(?=^[a-z_]+:|\\z)").arg(key),
            QRegularExpression::MultilineOption | QRegularExpression::DotMatchesEverythingOption);
        yaml.remove(section);
    }
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(yaml.toUtf8() + "\n" + pluginsYaml.toUtf8());
    return path;
}

std::optional<latch::v1::CommandResult> as(
    const ServerProcess& server, const QString& user, latch::v1::Command command)
{
    WsClient client;
    if (!signIn(client, server, user))
        return std::nullopt;
    if (command.command_id().empty())
        command.set_command_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    return client.command(command);
}

std::optional<latch::v1::QueryResult> query(
    const ServerProcess& server, const QString& user, latch::v1::Query query)
{
    WsClient client;
    if (!signIn(client, server, user))
        return std::nullopt;
    if (query.query_id().empty())
        query.set_query_id("q");
    return client.query(query);
}

std::string createCase(const ServerProcess& server, const QString& user, const std::string& type,
    const std::string& title, const std::string& customer, std::int64_t minor,
    const std::vector<std::pair<std::string, std::string>>& fields)
{
    latch::v1::Command c;
    auto* create = c.mutable_create_case();
    create->set_type(type);
    create->set_title(title);
    create->set_customer(customer);
    if (minor > 0) {
        create->mutable_amount()->set_minor(minor);
        create->mutable_amount()->set_currency("USD");
    }
    for (const auto& [key, value] : fields) {
        auto* field = create->add_fields();
        field->set_key(key);
        field->set_value(value);
    }
    const auto r = as(server, user, c);
    return r && r->accepted() ? r->case_id() : std::string();
}

bool markReady(const ServerProcess& server, const QString& user, const std::string& caseId)
{
    latch::v1::Command c;
    c.mutable_mark_ready()->set_case_id(caseId);
    const auto r = as(server, user, c);
    return r && r->accepted();
}

bool approve(const ServerProcess& server, const QString& user, const std::string& caseId)
{
    latch::v1::Command c;
    c.mutable_approve()->set_case_id(caseId);
    c.mutable_approve()->set_comment("checked");
    const auto r = as(server, user, c);
    return r && r->accepted();
}

latch::v1::CommandResult run(const ServerProcess& server, const QString& user,
    const std::string& caseId, const std::string& action, const std::string& planHash)
{
    latch::v1::Command c;
    c.mutable_request_action()->set_case_id(caseId);
    c.mutable_request_action()->set_action(action);
    c.mutable_request_action()->set_plan_hash(planHash);
    return as(server, user, c).value_or(latch::v1::CommandResult {});
}

std::optional<latch::v1::QueryResult> plan(const ServerProcess& server, const QString& user,
    const std::string& caseId, const std::string& action)
{
    latch::v1::Query q;
    q.mutable_plan_action()->set_case_id(caseId);
    q.mutable_plan_action()->set_action(action);
    return query(server, user, q);
}

int caseCount(const ServerProcess& server)
{
    latch::v1::Query q;
    q.mutable_list_cases();
    const auto r = query(server, "admin", q);
    return r ? r->cases_size() : -1;
}

latch::v1::Case loadCase(const ServerProcess& server, const std::string& caseId)
{
    latch::v1::Query q;
    q.mutable_get_case()->set_case_id(caseId);
    const auto r = query(server, "admin", q);
    return r && r->cases_size() == 1 ? r->cases(0) : latch::v1::Case{};
}

std::vector<latch::v1::Event> timeline(const ServerProcess& server, const std::string& caseId)
{
    latch::v1::Query q;
    q.mutable_get_timeline()->set_case_id(caseId);
    const auto r = query(server, QStringLiteral("admin"), q);
    return r ? std::vector<latch::v1::Event>(r->events().begin(), r->events().end())
             : std::vector<latch::v1::Event> {};
}

std::optional<latch::v1::ActionFinished> waitFinished(
    const ServerProcess& server, const std::string& caseId, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        for (const auto& e : timeline(server, caseId)) {
            if (e.has_action_finished())
                return e.action_finished();
        }
        QTest::qWait(100);
    }
    return std::nullopt;
}

} // namespace actionharness
