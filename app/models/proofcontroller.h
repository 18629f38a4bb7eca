#pragma once
// The case view's Proof tab: whether the case's history is in the server's signed audit log, checked
// on this computer, and the export of the case as a bundle anyone can verify offline.
//
// check() asks the server for the case's proof (get_case_proof: the events, their inclusion proofs,
// a signed checkpoint) and checks it here, as `latchctl verify` checks an exported bundle: the
// checkpoint's signature by a log key this computer trusts (pinned the first time the server served
// it), each event's hash, the case's hash chain from version 1, and each event's inclusion in the
// tree the checkpoint signs. It then holds the proof against this computer's own copy of the case:
// every event the copy has must be in the proof as the same event, and the proof may not end before
// the copy does (a history cut short on the server shows here, which a bundle alone cannot show).
//
// Threading: UI thread. Needs `session` and `caseId`; checks when `active` (the tab is shown) and
// again when the case changes while it is.
#include "latch.pb.h"
#include "sync/appsession.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <QVector>
#include <QtQml/qqmlregistration.h>

namespace latch::app {

class ProofController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(latch::app::AppSession* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QString caseId READ caseId WRITE setCaseId NOTIFY caseIdChanged)
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)

    Q_PROPERTY(State state READ state NOTIFY proofChanged)
    Q_PROPERTY(bool verified READ verified NOTIFY proofChanged)
    Q_PROPERTY(QString headline READ headline NOTIFY proofChanged) // "Verified", "Not verified", …
    Q_PROPERTY(QString summary READ summary NOTIFY proofChanged) // one or two sentences
    Q_PROPERTY(QStringList problems READ problems NOTIFY proofChanged) // each names an event
    Q_PROPERTY(QString keyWarning READ keyWarning NOTIFY proofChanged)
    Q_PROPERTY(QString keysNote READ keysNote NOTIFY proofChanged)
    Q_PROPERTY(int eventCount READ eventCount NOTIFY proofChanged)
    Q_PROPERTY(QString origin READ origin NOTIFY proofChanged)
    Q_PROPERTY(qulonglong checkpointSize READ checkpointSize NOTIFY proofChanged)
    Q_PROPERTY(QString checkpointRoot READ checkpointRoot NOTIFY proofChanged) // hex
    Q_PROPERTY(QString checkpointText READ checkpointText NOTIFY proofChanged) // the signed note
    Q_PROPERTY(QStringList signers READ signers NOTIFY proofChanged) // "latch/… (key id 1a2b3c4d)"
    Q_PROPERTY(QString rulesVersion READ rulesVersion NOTIFY proofChanged)
    Q_PROPERTY(QString checkedAtText READ checkedAtText NOTIFY proofChanged)

    Q_PROPERTY(QString exportDir READ exportDir NOTIFY exportChanged) // "" until exported
    Q_PROPERTY(QUrl reportUrl READ reportUrl NOTIFY exportChanged)
    Q_PROPERTY(QString exportMessage READ exportMessage NOTIFY exportChanged)
    Q_PROPERTY(bool exportFailed READ exportFailed NOTIFY exportChanged)

public:
    enum class State {
        Idle, // nothing asked yet
        Checking, // asked the server, waiting
        Verified,
        NotVerified, // the proof does not hold: problems say where
        Unavailable, // no proof to check (offline, refused): summary says why
    };
    Q_ENUM(State)

    explicit ProofController(QObject* parent = nullptr);
    ~ProofController() override;

    AppSession* session() const { return m_session; }
    void setSession(AppSession* session);
    QString caseId() const { return m_caseId; }
    void setCaseId(const QString& caseId);
    bool active() const { return m_active; }
    void setActive(bool active);

    State state() const { return m_state; }
    bool verified() const { return m_state == State::Verified; }
    QString headline() const;
    QString summary() const { return m_summary; }
    QStringList problems() const { return m_problems; }
    QString keyWarning() const { return m_keyWarning; }
    QString keysNote() const { return m_keysNote; }
    int eventCount() const { return m_result.case_proof().events_size(); }
    QString origin() const;
    qulonglong checkpointSize() const { return m_checkpointSize; }
    QString checkpointRoot() const { return m_checkpointRoot; }
    QString checkpointText() const;
    QStringList signers() const { return m_signers; }
    QString rulesVersion() const;
    QString checkedAtText() const;

    QString exportDir() const { return m_exportDir; }
    QUrl reportUrl() const;
    QString exportMessage() const { return m_exportMessage; }
    bool exportFailed() const { return m_exportFailed; }

    // Asks the server for the proof again and checks it.
    Q_INVOKABLE void check();
    // A new folder for this case's bundle under the user's documents: ".../Latch exports/case-
    // 0190163d-20261206-101500".
    Q_INVOKABLE QString suggestedExportDir() const;
    // Writes bundle.json, checkpoint.note and report.html of the proof last checked into `dir` (a
    // path or a file: URL; created when missing, refused when it holds other files). false, with
    // exportMessage saying why, when there is no proof yet or the files cannot be written.
    Q_INVOKABLE bool exportTo(const QString& dir);

    // Direct inputs (the session's signals call these; tests may too).
    void setCopy(const QVector<v1::Event>& events);
    void setProof(bool ok, const v1::QueryResult& result, const QVector<TrustedKey>& keys,
                  const QString& keysNote, const QString& code, const QString& message);

Q_SIGNALS:
    void sessionChanged();
    void caseIdChanged();
    void activeChanged();
    void proofChanged();
    void exportChanged();

private:
    void reset();
    void evaluate(); // the verdict and every sentence, from m_result, m_keys and m_copy
    void compareWithCopy();

    QPointer<AppSession> m_session;
    QString m_caseId;
    bool m_active = false;
    QVector<v1::Event> m_copy; // this computer's events of the case, oldest first
    quint64 m_copyVersion = 0; // the copy's version when the proof was asked for
    bool m_stale = false; // the copy changed while a check was on its way

    State m_state = State::Idle;
    v1::QueryResult m_result; // case_proof and people
    QVector<TrustedKey> m_keys; // the keys it was checked with
    QVector<v1::Event> m_checkedCopy; // the copy it was held against
    QString m_summary;
    QStringList m_problems;
    QString m_keyWarning;
    QString m_keysNote;
    QStringList m_signers;
    qulonglong m_checkpointSize = 0;
    QString m_checkpointRoot;
    qint64 m_checkedAt = 0;

    QString m_exportDir;
    QString m_exportMessage;
    bool m_exportFailed = false;
};

} // namespace latch::app
