#pragma once
// Builders and helpers for replicatest: case histories the way the server writes them (global seq,
// case_version 1..n, prev_hash chained to the previous event's hash), snapshots of them, commands,
// and short ways to open a replica or its raw file.
#include "latch.pb.h"
#include "latch/casefold.h"
#include "latch/hashing.h"
#include "replica/database.h"
#include "replica/migrations.h"
#include "replica/replica.h"

#include <QByteArray>
#include <QDebug>
#include <QFile>
#include <cstdint>
#include <functional>
#include <google/protobuf/util/message_differencer.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace replicatest {

// Every case's events, with one seq counter across all of them as on a server.
class History {
public:
    using Payload = std::function<void(latch::v1::Event&)>;

    latch::v1::Event add(
        const std::string& caseId, const std::string& actor, const Payload& payload)
    {
        auto& events = m_cases[caseId];
        latch::v1::Event e;
        e.set_seq(++m_seq);
        e.set_case_id(caseId);
        e.set_case_version(events.size() + 1);
        e.set_time_ms(1'700'000'000'000 + std::int64_t(m_seq) * 1000);
        e.set_actor(actor);
        e.set_command_id("cmd-" + std::to_string(m_seq));
        e.set_prev_hash(events.empty() ? latch::zeroHash() : events.back().hash());
        payload(e);
        e.set_hash(latch::computeEventHash(e));
        events.push_back(e);
        return e;
    }

    latch::v1::Event create(const std::string& caseId, const std::string& title,
        const std::string& customer, const std::string& orderRef = "PO-1")
    {
        return add(caseId, "alice", [&](latch::v1::Event& e) {
            auto* c = e.mutable_created();
            c->set_type("refund");
            c->set_title(title);
            c->set_customer(customer);
            c->set_order_ref(orderRef);
            c->mutable_amount()->set_minor(12'500);
            c->mutable_amount()->set_currency("EUR");
            c->set_queue("refunds");
        });
    }

    latch::v1::Event note(
        const std::string& caseId, const std::string& text, const std::string& actor = "alice")
    {
        return add(
            caseId, actor, [&](latch::v1::Event& e) { e.mutable_note_added()->set_text(text); });
    }

    latch::v1::Event retitle(const std::string& caseId, const std::string& title)
    {
        return add(caseId, "alice",
            [&](latch::v1::Event& e) { e.mutable_fields_changed()->set_title(title); });
    }

    // Marked ready by bob under a two-stage rule: one manager, then one of finance or cfo.
    latch::v1::Event markReady(const std::string& caseId)
    {
        return add(caseId, "bob", [&](latch::v1::Event& e) {
            auto* m = e.mutable_marked_ready();
            m->set_rule("big-refund");
            m->set_new_status(latch::v1::CASE_STATUS_AWAITING_APPROVAL);
            auto* first = m->add_stages();
            first->set_approvals(1);
            first->add_roles("manager");
            auto* second = m->add_stages();
            second->set_approvals(1);
            second->add_roles("finance");
            second->add_roles("cfo");
        });
    }

    latch::v1::Event approve(const std::string& caseId, const std::string& who, int stage)
    {
        return add(caseId, who, [&](latch::v1::Event& e) {
            e.mutable_approval_granted()->set_role(stage == 0 ? "manager" : "finance");
            e.mutable_approval_granted()->set_stage(stage);
        });
    }

    const std::vector<latch::v1::Event>& events(const std::string& caseId)
    {
        return m_cases[caseId];
    }

    // The case whole, as the server sends it when it comes into view.
    latch::v1::CaseSnapshot snapshot(const std::string& caseId)
    {
        latch::v1::CaseSnapshot s;
        *s.mutable_case_() = latch::foldEvents(m_cases[caseId]);
        for (const auto& e : m_cases[caseId])
            *s.add_events() = e;
        return s;
    }

    std::uint64_t head() const { return m_seq; }

private:
    std::uint64_t m_seq = 0;
    std::map<std::string, std::vector<latch::v1::Event>> m_cases;
};

inline latch::v1::Command noteCommand(
    const std::string& commandId, const std::string& caseId, const std::string& text)
{
    latch::v1::Command c;
    c.set_command_id(commandId);
    c.mutable_add_note()->set_case_id(caseId);
    c.mutable_add_note()->set_text(text);
    return c;
}

inline latch::v1::CommandResult answer(const std::string& commandId, bool accepted,
    const std::string& code = {}, const std::string& message = {})
{
    latch::v1::CommandResult r;
    r.set_command_id(commandId);
    r.set_accepted(accepted);
    r.set_code(code);
    r.set_message(message);
    return r;
}

inline QByteArray testKey(char fill)
{
    QByteArray key(32, fill);
    key[0] = 'K'; // not all one byte, so a key of zeros is never what a test means
    return key;
}

inline std::unique_ptr<latch::app::Replica> openOk(const QString& path, const QByteArray& key)
{
    auto r = latch::app::Replica::open(path, key);
    if (!r)
        qWarning() << "open failed:" << r.failure().code.c_str() << r.failure().message.c_str();
    return r ? std::move(*r) : nullptr;
}

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool sameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b)
{
    return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

inline std::vector<std::string> commandIds(const std::vector<latch::app::OutboxEntry>& entries)
{
    std::vector<std::string> ids;
    for (const auto& e : entries)
        ids.push_back(e.commandId);
    return ids;
}

// Raw access for the tests that play an older or newer Latch: a keyed connection to the file.
inline std::unique_ptr<latch::app::db::Database> rawOpen(const QString& path, const QByteArray& key,
    int pageSize = latch::app::migrations::kCipherPageSize)
{
    auto db = std::make_unique<latch::app::db::Database>(
        QFile::encodeName(path).toStdString(), latch::app::db::OpenMode::ReadWriteCreate);
    latch::app::migrations::useKey(
        *db, std::string_view(key.constData(), std::size_t(key.size())), pageSize);
    return db;
}

// Fills the replica with `count` cases, each with a long title, in one snapshot.
inline void fillCases(latch::app::Replica& replica, int count)
{
    History h;
    latch::v1::SnapshotPage page;
    page.set_reset(true);
    for (int i = 0; i < count; ++i) {
        const std::string id = "case-" + std::to_string(i);
        h.create(id, "Refund " + std::to_string(i) + std::string(200, 'x'), "Customer");
        *page.add_cases() = h.snapshot(id);
    }
    page.set_last(true);
    page.set_upto_seq(h.head());
    replica.applySnapshotPage(page);
}

} // namespace replicatest
