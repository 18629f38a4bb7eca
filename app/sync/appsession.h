#pragma once
// The app's one connection to Latch as the UI sees it: sign in and out, the connection state, the
// commands a user can make, and the data the screens show. Everything slow (the replica, the
// keychain, the WebSocket) runs on a worker thread owned by this object; results reach the UI
// thread through queued signals as plain copies (QueueRow, v1::Case, v1::Event, OutboxEntry).
//
// Every command goes to the replica's outbox first, then to the server in order; the server's
// answer removes it (accepted) or marks it rejected with the server's reason. Nothing here decides
// whether a command is allowed: the server does.
//
// Threading: a QObject of the UI thread. QML reaches the app-wide instance as the `AppSession`
// singleton; tests create their own and hand it to the models.
#include "latch.pb.h"
#include "replica/replica.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QVariantMap>
#include <QVector>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;
class QJSEngine;
class QThread;

namespace latch::app {

class SyncWorker;

// Where the app keeps its files and remembers the last server; tests point it at a temp dir.
struct SessionOptions {
    QString dataDir;        // replicas and their info files; default: the per-user app data dir
    QString keychainService = QStringLiteral("Latch");
    bool useKeychain = true; // false: always a passphrase (tests, machines without a keychain)
    QString deviceId;       // default: a random id remembered in QSettings
    QString caFile;         // PEM certificate authorities to trust besides the system's
};

// A log key this copy trusts to sign the server's checkpoints: pinned in the replica the first
// time the server served it (GET /.well-known/latch/log-keys), never dropped, so checkpoints
// signed before a key rotation still verify.
struct TrustedKey {
    QString verifierKey; // "name+id+base64"
    qint64 firstSeenMs = 0;
};

class AppSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY stateChanged)
    Q_PROPERTY(bool online READ online NOTIFY stateChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY outboxChanged)
    Q_PROPERTY(int rejectedCount READ rejectedCount NOTIFY outboxChanged)
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString username READ username NOTIFY userChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY userChanged)
    Q_PROPERTY(QStringList roles READ roles NOTIFY userChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorChanged)
    Q_PROPERTY(bool keychainAvailable READ keychainAvailable NOTIFY keychainAvailableChanged)
    Q_PROPERTY(QString replicaNotice READ replicaNotice NOTIFY replicaNoticeChanged)

public:
    enum class State {
        SignedOut,  // no replica open
        Connecting, // replica open, (re)connecting to the server
        Syncing,    // connected, receiving the snapshot
        Live,       // connected and up to date; pushes arrive as they happen
        Offline,    // replica open, server unreachable; retrying with back-off
    };
    Q_ENUM(State)

    // No default for `options`: Qt 6.4 constructs a default-constructible singleton itself
    // instead of asking create() for the instance set with setInstance().
    explicit AppSession(SessionOptions options, QObject* parent = nullptr);
    ~AppSession() override;

    // The QML singleton: the instance set with setInstance(), else one made on first use.
    static AppSession* create(QQmlEngine* qml, QJSEngine* js);
    static void setInstance(AppSession* session);

    State state() const { return m_state; }
    bool signedIn() const { return m_state != State::SignedOut; }
    bool online() const { return m_state == State::Syncing || m_state == State::Live; }
    int pendingCount() const;
    int rejectedCount() const;
    QString serverUrl() const { return m_serverUrl; }
    QString username() const { return m_username; }
    QString displayName() const { return m_displayName; }
    QStringList roles() const { return m_roles; }
    bool busy() const { return m_busy; }
    QString errorCode() const { return m_errorCode; }
    QString errorMessage() const { return m_errorMessage; }
    bool keychainAvailable() const { return m_keychainAvailable; }
    // Set when the replica had to be rebuilt (wrong key, damaged, too new): what happened, in a
    // sentence, and where unsendable commands were exported if they were.
    QString replicaNotice() const { return m_replicaNotice; }

    // The server URL the user signed in to last (QSettings), for the sign-in screen.
    Q_INVOKABLE QString rememberedServerUrl() const;
    Q_INVOKABLE QString rememberedUsername() const;

    // Signs in: password login over the WebSocket, then opens (or creates) this user's replica and
    // goes live. `passphrase` is only used when no keychain is available. On failure errorCode is
    // one of: auth.failed (wrong user or password), auth.locked, auth.disabled, auth.missing,
    // net.unreachable, net.tls (bad certificate),
    // net.bad_url, key.weak_passphrase, key.keychain_error, replica.*.
    // An empty password reopens this computer's copy with its saved session (works offline).
    // `startFresh` sets aside a copy the passphrase does not open and downloads it again.
    Q_INVOKABLE void signIn(const QString& serverUrl, const QString& username,
                            const QString& password, const QString& passphrase = {},
                            bool startFresh = false);
    // Ends the session on the server (when reachable) and closes the replica. Unsent commands
    // stay in the replica for the next sign-in.
    Q_INVOKABLE void signOut();

    // --- commands: each returns its command_id at once; the answer arrives as commandAnswered ---
    Q_INVOKABLE QString addNote(const QString& caseId, const QString& text);
    Q_INVOKABLE QString markReady(const QString& caseId);
    Q_INVOKABLE QString approve(const QString& caseId, const QString& comment);
    Q_INVOKABLE QString deny(const QString& caseId, const QString& reason);
    Q_INVOKABLE QString assign(const QString& caseId, const QString& username);
    Q_INVOKABLE QString closeCase(const QString& caseId, const QString& reason);
    Q_INVOKABLE QString reopen(const QString& caseId, const QString& reason);
    // `planHash`: the plan the user was shown (ActionPlan.plan_hash); the server refuses the run
    // with action.plan_changed when the case moved on since. Empty: no such check.
    Q_INVOKABLE QString requestAction(const QString& caseId, const QString& action,
                                      const QByteArray& planHash = {});
    QString submit(v1::Command command); // sets command_id when empty
    // Forgets a rejected command after the user has read why.
    Q_INVOKABLE void dismiss(const QString& commandId);

    // --- reads: answered through the signals below ---
    Q_INVOKABLE void loadCase(const QString& caseId);
    // Asks the server which rule applies and who may approve (needs a connection).
    Q_INVOKABLE void checkRules(const QString& caseId);
    // Asks the server which plugin actions it offers on the case (needs a connection).
    Q_INVOKABLE void listActions(const QString& caseId);
    // Asks the server what running `action` on the case would send (needs a connection).
    Q_INVOKABLE void planAction(const QString& caseId, const QString& action);
    // Asks the server for the case's proof (needs a connection); answered by proofLoaded.
    Q_INVOKABLE void loadProof(const QString& caseId);
    // Runs an audit query over the user's cases (needs a connection); answered by auditAnswered.
    void auditQuery(const v1::AuditQuery& query);

    // Takes the app offline (drops the connection, stops reconnecting) and back. Unsent commands
    // wait in the outbox meanwhile.
    Q_INVOKABLE void goOffline();
    Q_INVOKABLE void goOnline();

    // The outbox as last reported by the worker (UI thread copy).
    const std::vector<OutboxEntry>& outbox() const { return m_outbox; }

Q_SIGNALS:
    void stateChanged();
    void outboxChanged();
    void serverUrlChanged();
    void userChanged();
    void busyChanged();
    void errorChanged();
    void keychainAvailableChanged();
    void replicaNoticeChanged();

    // The whole queue (after sign-in and after every snapshot), then changes as they happen.
    void queueReset(const QVector<latch::app::QueueRow>& rows);
    void queueChanged(const QVector<latch::app::QueueRow>& changed, const QStringList& removed);
    // A case's confirmed state and timeline, answering loadCase() and again whenever it changes
    // while it is the loaded case.
    void caseLoaded(const QString& caseId, const latch::v1::Case& c,
                    const QVector<latch::v1::Event>& events);
    // The case is gone from this user's view (revoked, or not in the replica).
    void caseGone(const QString& caseId, const QString& reason);
    // The server's rule check, or ok = false with the reason (offline, refused).
    void rulesChecked(const QString& caseId, bool ok, const latch::v1::RuleCheck& check,
                      const QString& message);
    // The server's action offers, or ok = false with the reason (offline, refused).
    void actionsListed(const QString& caseId, bool ok,
                       const QVector<latch::v1::ActionOffer>& offers, const QString& message);
    // What running the action would send, or ok = false with the server's code and reason.
    void actionPlanned(const QString& caseId, const QString& action, bool ok,
                       const latch::v1::ActionPlan& plan, const QString& code,
                       const QString& message);
    void commandAnswered(const QString& commandId, const QString& caseId, bool accepted,
                         const QString& code, const QString& message);
    // The server's get_case_proof answer (result.case_proof, result.people) and the log keys this
    // copy trusts; keysNote says why the server's keys could not be fetched, when they could not
    // (the pinned ones are still given). ok = false with the reason (offline, refused).
    void proofLoaded(const QString& caseId, bool ok, const latch::v1::QueryResult& result,
                     const QVector<latch::app::TrustedKey>& keys, const QString& keysNote,
                     const QString& code, const QString& message);
    // The server's audit_query answer (audit_rows, audit_truncated, people), or ok = false.
    void auditAnswered(bool ok, const latch::v1::QueryResult& result, const QString& code,
                       const QString& message);
    // Something the user should hear about: a new case in their queue, an approval waiting on them.
    void notify(const QString& title, const QString& text, const QString& caseId);

private:
    void setState(State state);
    void setError(const QString& code, const QString& message);
    void setBusy(bool busy);

    SessionOptions m_options;
    QThread* m_thread = nullptr;
    SyncWorker* m_worker = nullptr; // lives on m_thread
    State m_state = State::SignedOut;
    std::vector<OutboxEntry> m_outbox;
    QString m_serverUrl;
    QString m_username;
    QString m_displayName;
    QStringList m_roles;
    bool m_busy = false;
    QString m_errorCode;
    QString m_errorMessage;
    bool m_keychainAvailable = false;
    QString m_replicaNotice;
    QString m_loadedCase;
};

// For the models' setSession(): points `slot` at `session`, dropping every connection `receiver`
// had to the session before. false (nothing done) when it already pointed there.
bool rebindSession(QPointer<AppSession>& slot, AppSession* session, QObject* receiver);

} // namespace latch::app

Q_DECLARE_METATYPE(latch::app::QueueRow)
Q_DECLARE_METATYPE(latch::v1::Case)
Q_DECLARE_METATYPE(latch::v1::Event)
Q_DECLARE_METATYPE(latch::v1::RuleCheck)
Q_DECLARE_METATYPE(latch::v1::ActionOffer)
Q_DECLARE_METATYPE(latch::v1::ActionPlan)
Q_DECLARE_METATYPE(latch::v1::QueryResult)
Q_DECLARE_METATYPE(latch::app::TrustedKey)
