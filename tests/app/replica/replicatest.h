#pragma once
// The replica suite, one class over two files: replicatest.cpp covers the file (encryption at rest,
// refusals, rebuild and salvage, migrations), replicatest_data.cpp what is stored in it (server
// data, the outbox, settings) and where keys come from.
#include "replicafixture.h"

#include <QObject>
#include <QTemporaryDir>
#include <memory>

class ReplicaTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void fileHoldsNoTextInTheClear();
    void plainSqliteCannotReadIt();
    void wrongKeyIsRefused();
    void missingFolderIsAnIoError();
    void garbageAndTruncatedFilesAreRefused();
    void damagedPageIsFoundOnOpen();
    void newerFormatIsRefusedButItsOutboxSalvaged();
    void rebuildKeepsUnsentCommandsInOrder();
    void rebuildSetsTheWalAsideWithItsFile();
    void exportOutboxWritesReadableJson();
    void olderFormatMigrates_data();
    void olderFormatMigrates();
    void olderPageSizeStillOpens();

    void snapshotResetDropsCasesButKeepsOutbox();
    void snapshotCutShortLeavesAConsistentReplica();
    void cursorAdvancesOnlyOnLastPage();
    void batchEventsFoldLikeTheServer();
    void wholeCaseReplacesRowAndEvents();
    void revokeDropsCaseAndEvents();
    void queueRowCarriesStagesApproversAndNotes();
    void eventsComeBackAsTheServerSentThem();

    void outboxKeepsOrderAndFilesAnswers();
    void settingsKeepBinaryValues();
    void dataSurvivesReopening();

    void deriveKeyIsDeterministicPerSalt();
    void weakPassphraseIsRefused();
    void keychainProbeIsBoundedAndFailsCleanly();
    void infoSidecarRoundTripsWithoutTheKey();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("replica.db")); }
    std::unique_ptr<QTemporaryDir> m_dir;
    const QByteArray m_key = replicatest::testKey('a');
};
