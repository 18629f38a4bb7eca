// Replica's static members that work on files rather than on an open replica: setting a broken
// file aside and starting again, salvaging and exporting its outbox, and the info sidecar. Kept
// apart from replica.cpp so each file stays about one thing.
#include "replica/database.h"
#include "replica/migrations.h"
#include "replica/replica.h"
#include "replica/statement.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>
#include <algorithm>
#include <array>
#include <google/protobuf/util/json_util.h>
#include <map>

Q_DECLARE_LOGGING_CATEGORY(lcReplica)

namespace latch::app {

namespace {

QString infoPath(const QString& path)
{
    return path + QStringLiteral(".json");
}

// SQLite's companions of a database file: they belong to it and must move with it. A -wal left
// beside a fresh file would be replayed into it.
constexpr std::array<const char*, 3> kCompanions = { "-wal", "-shm", "-journal" };

// `<path>.broken-<yyyyMMdd-hhmmss>`, with a counter when that name is taken (two rebuilds in one
// second).
QString asideName(const QString& path)
{
    const QString base = path + QStringLiteral(".broken-")
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss"));
    QString name = base;
    for (int n = 2; QFile::exists(name); ++n)
        name = base + QLatin1Char('-') + QString::number(n);
    return name;
}

// Moves the file and its companions aside; false when the file or a companion stays in the way.
bool moveAside(const QString& path, const QString& aside)
{
    if (QFile::exists(path) && !QFile::rename(path, aside))
        return false;
    for (const char* suffix : kCompanions) {
        const QString from = path + QLatin1String(suffix);
        if (QFile::exists(from) && !QFile::rename(from, aside + QLatin1String(suffix))
            && !QFile::remove(from))
            return false;
    }
    // The set-aside file keeps a copy of its sidecar, so it can still be opened by hand (the
    // passphrase salt is in there); the original sidecar stays for the fresh file.
    if (QFile::exists(infoPath(path)))
        QFile::copy(infoPath(path), infoPath(aside));
    return true;
}

OutboxEntry::State stateFrom(const std::string& text)
{
    return text == "rejected" ? OutboxEntry::State::Rejected : OutboxEntry::State::Pending;
}

} // namespace

Expected<std::unique_ptr<Replica>> Replica::rebuild(
    const QString& path, const QByteArray& key, const std::vector<OutboxEntry>& salvaged)
{
    const QString aside = asideName(path);
    if (!moveAside(path, aside))
        return fail("replica.io",
            "The damaged copy of your cases (" + path.toStdString()
                + ") could not be moved aside to start again.");
    qCWarning(lcReplica) << "set" << path << "aside as" << aside;

    auto fresh = open(path, key);
    if (!fresh)
        return fresh;
    try {
        (*fresh)->restoreOutbox(salvaged);
    } catch (const db::Error& e) {
        const std::string detail = e.what();
        return fail("replica.io",
            "The unsent commands could not be put back into the new copy of your cases (" + detail
                + ").");
    }

    // The sidecar describes the file at `path`, which is now the fresh one.
    if (auto info = readInfo(path)) {
        info->schemaVersion = schemaVersion();
        info->cipherVersion = (*fresh)->cipherVersion();
        writeInfo(path, *info);
    }
    return fresh;
}

std::vector<OutboxEntry> Replica::salvageOutbox(const QString& path, const QByteArray& key)
{
    std::vector<OutboxEntry> entries;
    if (!QFile::exists(path) || key.size() != 32)
        return entries;
    try {
        const auto opened = migrations::openKeyed(QFile::encodeName(path).toStdString(),
            db::OpenMode::ReadWrite, std::string_view(key.constData(), std::size_t(key.size())));
        db::Database& db = *opened;
        // SELECT * and columns by name: a newer Latch may have added or reordered columns, and
        // whatever still reads as a command is worth keeping.
        db::Statement s(db, "SELECT * FROM outbox");
        std::map<std::string, int> column;
        for (int i = 0; i < s.columnCount(); ++i)
            column[s.columnName(i)] = i;
        if (!column.count("command"))
            return entries;
        const auto text = [&](const char* name) {
            auto it = column.find(name);
            return it == column.end() ? std::string() : s.columnText(it->second);
        };
        const auto number = [&](const char* name) {
            auto it = column.find(name);
            return it == column.end() ? std::int64_t(0) : s.columnInt64(it->second);
        };
        for (;;) {
            try {
                if (!s.step())
                    break;
            } catch (const db::Error& e) {
                // Damage part-way through the table: keep the rows read before it.
                qCWarning(lcReplica) << "outbox salvage stopped:" << e.what();
                break;
            }
            OutboxEntry entry;
            if (!entry.command.ParseFromString(s.columnBlob(column["command"])))
                continue;
            entry.localSeq = number("local_seq");
            entry.commandId = text("command_id");
            if (entry.commandId.empty())
                entry.commandId = entry.command.command_id();
            entry.caseId = text("case_id");
            entry.state = stateFrom(text("state"));
            entry.code = text("code");
            entry.message = text("message");
            entry.createdMs = number("created_ms");
            entries.push_back(std::move(entry));
        }
    } catch (const db::Error& e) {
        qCWarning(lcReplica) << "no outbox could be salvaged from" << path << e.what();
    }
    std::stable_sort(entries.begin(), entries.end(),
        [](const auto& a, const auto& b) { return a.localSeq < b.localSeq; });
    return entries;
}

bool Replica::exportOutbox(const std::vector<OutboxEntry>& entries, const QString& path)
{
    QJsonArray commands;
    for (const auto& e : entries) {
        std::string json;
        google::protobuf::util::JsonPrintOptions options;
        options.preserve_proto_field_names = true; // the names in latch.proto and the docs
        if (!google::protobuf::util::MessageToJsonString(e.command, &json, options).ok())
            return false;
        QJsonObject entry;
        entry.insert(QStringLiteral("localSeq"), qint64(e.localSeq));
        entry.insert(QStringLiteral("commandId"), QString::fromStdString(e.commandId));
        entry.insert(QStringLiteral("caseId"), QString::fromStdString(e.caseId));
        entry.insert(QStringLiteral("state"),
            e.state == OutboxEntry::State::Rejected ? QStringLiteral("rejected")
                                                    : QStringLiteral("pending"));
        if (e.state == OutboxEntry::State::Rejected) {
            entry.insert(QStringLiteral("code"), QString::fromStdString(e.code));
            entry.insert(QStringLiteral("message"), QString::fromStdString(e.message));
        }
        entry.insert(QStringLiteral("createdMs"), qint64(e.createdMs));
        entry.insert(QStringLiteral("command"),
            QJsonDocument::fromJson(QByteArray::fromStdString(json)).object());
        commands.append(entry);
    }
    QJsonObject root;
    root.insert(QStringLiteral("format"), QStringLiteral("latch.outbox.v1"));
    root.insert(QStringLiteral("exportedMs"), QDateTime::currentMSecsSinceEpoch());
    root.insert(QStringLiteral("commands"), commands);

    // QSaveFile: a crash mid-write leaves no half a file where the user's work should be.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    return file.commit();
}

Expected<ReplicaInfo> Replica::readInfo(const QString& path)
{
    QFile file(infoPath(path));
    if (!file.exists())
        return fail(
            "replica.no_info", "No information file is kept beside " + path.toStdString() + ".");
    if (!file.open(QIODevice::ReadOnly))
        return fail("replica.io",
            "The information file beside the copy of your cases cannot be read ("
                + file.errorString().toStdString() + ").");
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject())
        return fail("replica.bad_info",
            "The information file beside the copy of your cases is damaged ("
                + error.errorString().toStdString() + ").");
    const auto o = doc.object();
    ReplicaInfo info;
    info.keySource = o.value(QStringLiteral("keySource")).toString();
    info.keychainBackend = o.value(QStringLiteral("keychainBackend")).toString();
    info.cipherVersion = o.value(QStringLiteral("cipherVersion")).toString();
    info.passphraseSalt
        = QByteArray::fromBase64(o.value(QStringLiteral("passphraseSalt")).toString().toLatin1());
    info.schemaVersion = o.value(QStringLiteral("schemaVersion")).toInt();
    return info;
}

bool Replica::writeInfo(const QString& path, const ReplicaInfo& info)
{
    QJsonObject o;
    o.insert(QStringLiteral("keySource"), info.keySource);
    o.insert(QStringLiteral("keychainBackend"), info.keychainBackend);
    o.insert(QStringLiteral("cipherVersion"), info.cipherVersion);
    // The salt is not secret: without the passphrase it derives nothing.
    o.insert(QStringLiteral("passphraseSalt"), QString::fromLatin1(info.passphraseSalt.toBase64()));
    o.insert(QStringLiteral("schemaVersion"), info.schemaVersion);
    QSaveFile file(infoPath(path));
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QJsonDocument(o).toJson(QJsonDocument::Indented));
    return file.commit();
}

} // namespace latch::app
