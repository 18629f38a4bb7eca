#pragma once
// The sync engine behind AppSession, on its own thread: signs in, opens the user's replica, keeps
// one live WebSocket to the server (Hello with the stored cursor, snapshot pages, live batches,
// revokes), sends the outbox in order and files the server's answers, and reconnects with jittered
// exponential back-off when the connection drops. Everything it reports goes out as signals
// carrying copies; AppSession relays them to the UI thread.
//
// Threading: lives on AppSession's worker thread; every slot runs there. Not thread-safe.
#include "latch.pb.h"
#include "replica/keystore.h"
#include "replica/replica.h"
#include "sync/appsession.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <map>
#include <memory>
#include <optional>
#include <set>

namespace latch::app {

class WsConnection;

class SyncWorker : public QObject {
    Q_OBJECT
public:
    explicit SyncWorker(SessionOptions options, QObject* parent = nullptr);
    ~SyncWorker() override;

    // --- called on the worker thread (AppSession uses QMetaObject::invokeMethod) ---
    void start(); // probes the keychain
    void signIn(const QString& serverUrl, const QString& username, const QString& password,
                const QString& passphrase, bool startFresh);
    void signOut();
    // The app is closing: drop the connection and close the replica, keeping the saved session
    // so the next start signs in without a password.
    void shutdown();
    void enqueue(const v1::Command& command);
    void dismiss(const QString& commandId);
    void loadCase(const QString& caseId);
    void checkRules(const QString& caseId);
    // The plugin actions the server offers on the case, and what running one would send.
    void listActions(const QString& caseId);
    void planAction(const QString& caseId, const QString& action);
    // The case's proof (get_case_proof), and the log keys this copy trusts (see TrustedKey).
    void loadProof(const QString& caseId);
    // The history across the user's cases (audit_query).
    void auditQuery(const v1::AuditQuery& query);
    // Drops the connection and stops reconnecting until resume(): lets tests (and a future
    // "work offline" switch) take the app offline without touching the server.
    void pause();
    void resume();

    // The replica file for (server, user) under dataDir.
    static QString replicaPath(const QString& dataDir, const QString& serverUrl,
                               const QString& username);

Q_SIGNALS:
    void keychainProbed(bool available);
    void signInFailed(const QString& code, const QString& message);
    void signedIn(const QString& serverUrl, const latch::v1::User& user);
    void signedOut(const QString& code, const QString& message); // code empty: the user asked
    void stateChanged(latch::app::AppSession::State state);
    void replicaNotice(const QString& text);
    void outboxChanged(const std::vector<latch::app::OutboxEntry>& entries);
    void queueReset(const QVector<latch::app::QueueRow>& rows);
    void queueChanged(const QVector<latch::app::QueueRow>& changed, const QStringList& removed);
    void caseLoaded(const QString& caseId, const latch::v1::Case& c,
                    const QVector<latch::v1::Event>& events);
    void caseGone(const QString& caseId, const QString& reason);
    void rulesChecked(const QString& caseId, bool ok, const latch::v1::RuleCheck& check,
                      const QString& message);
    void actionsListed(const QString& caseId, bool ok,
                       const QVector<latch::v1::ActionOffer>& offers, const QString& message);
    void actionPlanned(const QString& caseId, const QString& action, bool ok,
                       const latch::v1::ActionPlan& plan, const QString& code,
                       const QString& message);
    void commandAnswered(const QString& commandId, const QString& caseId, bool accepted,
                         const QString& code, const QString& message);
    void proofLoaded(const QString& caseId, bool ok, const latch::v1::QueryResult& result,
                     const QVector<latch::app::TrustedKey>& keys, const QString& keysNote,
                     const QString& code, const QString& message);
    void auditAnswered(bool ok, const latch::v1::QueryResult& result, const QString& code,
                       const QString& message);
    void notify(const QString& title, const QString& text, const QString& caseId);

private:
    enum class Phase { Idle, LoggingIn, Hello, Snapshot, Live };
    enum class QueryKind { Rules, Actions, Plan, Proof, Audit };
    struct PendingQuery {
        QueryKind kind;
        QString caseId;
        QString action; // Plan only
    };

    void connectNow();
    void onConnected();
    void onFailed(const QString& code, const QString& message);
    void onEnvelope(const v1::Envelope& envelope);
    void onLoginResult(const v1::LoginResult& result);
    void onWelcome(const v1::Welcome& welcome);
    void onSnapshotPage(const v1::SnapshotPage& page);
    void onEventBatch(const v1::EventBatch& batch);
    void onRevoke(const v1::Revoke& revoke);
    void onCommandResult(const v1::CommandResult& result);
    void onQueryResult(const v1::QueryResult& result);
    void onServerError(const v1::Error& error);
    // After a proof arrives: GET the server's log keys, pin the new ones, then emit proofLoaded.
    void fetchLogKeys(const QString& caseId, const v1::QueryResult& result);
    QVector<TrustedKey> pinLogKeys(const QStringList& served);

    bool openReplica(const QString& passphrase, bool startFresh);
    void sendHello();
    void flushOutbox();
    void scheduleReconnect();
    void endSession(const QString& code, const QString& message);
    void setPhase(Phase phase);
    void emitOutbox();
    void emitQueueReset();
    void emitQueueRows(const std::vector<std::string>& caseIds, const QStringList& removed);
    void reloadLoadedCase(const std::vector<std::string>& changed);
    void notifyAbout(const std::vector<std::string>& caseIds, const std::set<std::string>& arrived);
    bool waitingOnMe(const QueueRow& row) const;
    bool canQuery() const;
    // Sends the query under a fresh id; false (nothing sent) when offline.
    bool sendQuery(v1::Query query, PendingQuery pending);

    SessionOptions m_options;
    KeyStore m_keys;
    std::unique_ptr<Replica> m_replica;
    WsConnection* m_ws = nullptr;
    QNetworkAccessManager* m_http = nullptr; // the log keys' well-known URL
    QTimer m_reconnect;
    int m_attempt = 0;
    bool m_paused = false;
    Phase m_phase = Phase::Idle;

    // The sign-in in progress (password login), or the signed-in identity.
    QUrl m_url;
    QString m_serverUrl;
    QString m_username;
    QString m_password;
    QString m_passphrase;
    bool m_startFresh = false;
    std::string m_token;
    v1::User m_user;

    std::set<std::string> m_sentOnThisConnection; // command ids sent since the last connect
    std::map<std::string, PendingQuery> m_queries; // query_id -> what it asked
    std::set<std::string> m_waitingOnMe;          // cases already announced as waiting on me
    QString m_loadedCase;
    bool m_snapshotReset = false;
    int m_queryCounter = 0;
};

} // namespace latch::app

Q_DECLARE_METATYPE(latch::v1::User)
