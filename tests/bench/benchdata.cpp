#include "benchdata.h"

#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace latch::appbench {

namespace {

constexpr quint32 kSnapshotMagic = 0x4c534e31; // "LSN1"

std::optional<QJsonObject> readJson(const QString& file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const auto doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject())
        return std::nullopt;
    return doc.object();
}

void writeJson(const QString& file, const QJsonObject& object)
{
    QSaveFile f(file);
    if (f.open(QIODevice::WriteOnly)) {
        f.write(QJsonDocument(object).toJson());
        f.commit();
    }
}

} // namespace

BenchData::BenchData(QString root)
    : m_root(QDir(root).absolutePath())
{
    QDir().mkpath(m_root);
}

QString BenchData::path(const QString& name) const
{
    return QDir(m_root).filePath(name);
}

QString BenchData::serverDir() const
{
    return path(QStringLiteral("server"));
}

QString BenchData::serverLog() const
{
    return path(QStringLiteral("server.log"));
}

QString BenchData::replicaDir() const
{
    return path(QStringLiteral("replica"));
}

QString BenchData::scratchDir() const
{
    return path(QStringLiteral("scratch"));
}

std::optional<SeedInfo> BenchData::seedInfo() const
{
    const auto o = readJson(path(QStringLiteral("seed.json")));
    if (!o)
        return std::nullopt;
    SeedInfo info;
    info.cases = std::size_t(o->value(QStringLiteral("cases")).toInteger());
    info.eventsPerCase = std::size_t(o->value(QStringLiteral("eventsPerCase")).toInteger());
    info.bigCaseEvents = std::size_t(o->value(QStringLiteral("bigCaseEvents")).toInteger());
    info.bigCaseId = o->value(QStringLiteral("bigCaseId")).toString();
    info.headSeq = quint64(o->value(QStringLiteral("headSeq")).toInteger());
    return info;
}

void BenchData::setSeedInfo(const SeedInfo& info)
{
    writeJson(path(QStringLiteral("seed.json")),
              { { QStringLiteral("cases"), qint64(info.cases) },
                { QStringLiteral("eventsPerCase"), qint64(info.eventsPerCase) },
                { QStringLiteral("bigCaseEvents"), qint64(info.bigCaseEvents) },
                { QStringLiteral("bigCaseId"), info.bigCaseId },
                { QStringLiteral("headSeq"), qint64(info.headSeq) } });
}

void BenchData::resetServer()
{
    QDir(serverDir()).removeRecursively();
    QFile::remove(path(QStringLiteral("seed.json")));
    QFile::remove(path(QStringLiteral("snapshot.bin")));
    resetReplica();
}

std::optional<RunState> BenchData::runState() const
{
    const auto o = readJson(path(QStringLiteral("run.json")));
    if (!o)
        return std::nullopt;
    RunState state;
    state.serverUrl = o->value(QStringLiteral("serverUrl")).toString();
    state.user = o->value(QStringLiteral("user")).toString();
    state.rows = o->value(QStringLiteral("rows")).toInt();
    state.headSeq = quint64(o->value(QStringLiteral("headSeq")).toInteger());
    return state;
}

void BenchData::setRunState(const RunState& state)
{
    writeJson(path(QStringLiteral("run.json")),
              { { QStringLiteral("serverUrl"), state.serverUrl },
                { QStringLiteral("user"), state.user },
                { QStringLiteral("rows"), state.rows },
                { QStringLiteral("headSeq"), qint64(state.headSeq) } });
}

void BenchData::resetReplica()
{
    QFile::remove(path(QStringLiteral("run.json")));
    QDir(replicaDir()).removeRecursively();
}

std::vector<v1::SnapshotPage> BenchData::cachedSnapshot(quint64 headSeq) const
{
    std::vector<v1::SnapshotPage> pages;
    QFile f(path(QStringLiteral("snapshot.bin")));
    if (!f.open(QIODevice::ReadOnly))
        return pages;
    QDataStream in(&f);
    quint32 magic = 0;
    quint64 seq = 0;
    quint32 count = 0;
    in >> magic >> seq >> count;
    if (magic != kSnapshotMagic || seq != headSeq)
        return pages;
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QByteArray bytes;
        in >> bytes;
        v1::SnapshotPage page;
        if (!page.ParseFromArray(bytes.constData(), int(bytes.size())))
            return {};
        pages.push_back(std::move(page));
    }
    if (in.status() != QDataStream::Ok || pages.size() != count)
        return {};
    return pages;
}

void BenchData::cacheSnapshot(quint64 headSeq, const std::vector<v1::SnapshotPage>& pages)
{
    QSaveFile f(path(QStringLiteral("snapshot.bin")));
    if (!f.open(QIODevice::WriteOnly))
        return;
    QDataStream out(&f);
    out << kSnapshotMagic << headSeq << quint32(pages.size());
    for (const auto& page : pages)
        out << QByteArray::fromStdString(page.SerializeAsString());
    f.commit();
}

} // namespace latch::appbench
