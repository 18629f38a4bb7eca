#pragma once
// latch-appbench's data directory (build/<preset>/bench-data/app-10k by default), kept between
// runs because seeding 200,000 events takes a while:
//
//   server/          latch-server --data: the seeded cases
//   server.log       the server's output, appended
//   seed.json        what was seeded (counts, the long case's id, the head seq): reuse check
//   snapshot.bin     the demo admin's snapshot pages as the server sent them (cipher scenario)
//   replica/         the app's data dir after the bootstrap (replica file + info)
//   run.json         the server URL and row count the bootstrap left (startup and open-case)
//   scratch/         the cipher scenario's scratch replicas, emptied each round
//
// Threading: main thread only.
#include "latch.pb.h"

#include <QString>

#include <cstddef>
#include <optional>
#include <vector>

namespace latch::appbench {

struct SeedInfo {
    std::size_t cases = 0;
    std::size_t eventsPerCase = 0;
    std::size_t bigCaseEvents = 0;
    QString bigCaseId;
    quint64 headSeq = 0;
};

struct RunState {
    QString serverUrl; // the replica file's name is derived from it: sign in again with the same
    QString user;
    int rows = 0;      // cases in the replica (the queue's length)
    quint64 headSeq = 0;
};

class BenchData {
public:
    explicit BenchData(QString root);

    QString root() const { return m_root; }
    QString serverDir() const;
    QString serverLog() const;
    QString replicaDir() const;
    QString scratchDir() const;

    std::optional<SeedInfo> seedInfo() const;
    void setSeedInfo(const SeedInfo& info);
    // Drops the server's data and everything made from it.
    void resetServer();

    std::optional<RunState> runState() const;
    void setRunState(const RunState& state);
    void resetReplica();

    // Empty when there is no cache for `headSeq`.
    std::vector<v1::SnapshotPage> cachedSnapshot(quint64 headSeq) const;
    void cacheSnapshot(quint64 headSeq, const std::vector<v1::SnapshotPage>& pages);

private:
    QString path(const QString& name) const;
    QString m_root;
};

} // namespace latch::appbench
