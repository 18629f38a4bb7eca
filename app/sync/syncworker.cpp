#include "sync/syncworker.h"

#include "latch/casefold.h"
#include "latch/signednote.h"
#include "sync/wsconnection.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>

#include <algorithm>

Q_LOGGING_CATEGORY(lcSync, "latch.sync")

namespace latch::app {

namespace {

constexpr std::uint32_t kProtocolVersion = 1;
constexpr int kMaxBackoffMs = 30'000;
constexpr int kBaseBackoffMs = 500;

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Errors after which reconnecting with the same token cannot help.
bool sessionEnding(const std::string& code)
{
    return code.rfind("auth.", 0) == 0 || code == "protocol.version";
}

} // namespace

SyncWorker::SyncWorker(SessionOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_keys(m_options.keychainService)
{
    // A child, so moveToThread() takes the timer along to the worker thread that starts it.
    m_reconnect.setParent(this);
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &SyncWorker::connectNow);
}

SyncWorker::~SyncWorker() = default;

void SyncWorker::start()
{
    const bool available = m_options.useKeychain && m_keys.keychainAvailable();
    Q_EMIT keychainProbed(available);
}

QString SyncWorker::replicaPath(const QString& dataDir, const QString& serverUrl,
                                const QString& username)
{
    // One file per (server, user); the name is a hash so no address or name shows in the folder.
    const QByteArray id = QCryptographicHash::hash((serverUrl + QLatin1Char('|') + username).toUtf8(),
                                                   QCryptographicHash::Sha256)
                              .toHex()
                              .left(24);
    return QDir(dataDir).filePath(QStringLiteral("replica-%1.db").arg(QString::fromLatin1(id)));
}

void SyncWorker::setPhase(Phase phase)
{
    m_phase = phase;
    switch (phase) {
    case Phase::Idle:
        break;
    case Phase::LoggingIn:
    case Phase::Hello:
        Q_EMIT stateChanged(AppSession::State::Connecting);
        break;
    case Phase::Snapshot:
        Q_EMIT stateChanged(AppSession::State::Syncing);
        break;
    case Phase::Live:
        Q_EMIT stateChanged(AppSession::State::Live);
        break;
    }
}

// --- signing in and out ---

void SyncWorker::signIn(const QString& serverUrl, const QString& username, const QString& password,
                        const QString& passphrase, bool startFresh)
{
    if (m_replica)
        endSession({}, {});
    m_url = WsConnection::normalizeUrl(serverUrl);
    if (!m_url.isValid()) {
        Q_EMIT signInFailed(QStringLiteral("net.bad_url"),
                            tr("That is not a server address. Use the form "
                               "wss://latch.example.com or localhost:7443."));
        return;
    }
    m_serverUrl = m_url.toString();
    m_username = username.trimmed();
    m_password = password;
    m_passphrase = passphrase;
    m_startFresh = startFresh;
    m_token.clear();
    m_paused = false;
    m_attempt = 0;
    if (m_username.isEmpty()) {
        Q_EMIT signInFailed(QStringLiteral("auth.missing"), tr("Enter your user name."));
        return;
    }
    if (m_password.isEmpty()) {
        // No password: reopen this computer's copy and its saved session, which works offline.
        if (!openReplica(passphrase, startFresh))
            return;
        const auto token = m_replica->setting("token");
        const auto user = m_replica->setting("user");
        if (!token || token->empty()) {
            m_replica.reset();
            Q_EMIT signInFailed(QStringLiteral("auth.missing"),
                                tr("Enter your password to sign in on this computer."));
            return;
        }
        m_token = *token;
        if (user)
            m_user.ParseFromString(*user);
        Q_EMIT signedIn(m_serverUrl, m_user);
        emitOutbox();
        emitQueueReset();
        setPhase(Phase::Hello);
        connectNow();
        return;
    }
    setPhase(Phase::LoggingIn);
    connectNow();
}

void SyncWorker::signOut()
{
    if (m_ws && m_ws->isOpen() && !m_token.empty()) {
        v1::Envelope envelope;
        envelope.mutable_logout();
        m_ws->send(envelope);
    }
    if (m_replica)
        m_replica->removeSetting("token");
    endSession({}, {});
}

void SyncWorker::shutdown()
{
    m_reconnect.stop();
    delete m_ws;
    m_ws = nullptr;
    m_replica.reset();
}

void SyncWorker::endSession(const QString& code, const QString& message)
{
    m_reconnect.stop();
    if (m_ws) {
        m_ws->close();
        m_ws->deleteLater();
        m_ws = nullptr;
    }
    const bool wasOpen = m_replica != nullptr;
    m_replica.reset();
    m_token.clear();
    m_password.clear();
    m_sentOnThisConnection.clear();
    m_queries.clear();
    m_waitingOnMe.clear();
    m_loadedCase.clear();
    m_phase = Phase::Idle;
    if (wasOpen)
        Q_EMIT signedOut(code, message);
    Q_EMIT stateChanged(AppSession::State::SignedOut);
}

bool SyncWorker::openReplica(const QString& passphrase, bool startFresh)
{
    const QString path = replicaPath(m_options.dataDir, m_serverUrl, m_username);
    QDir().mkpath(m_options.dataDir);
    auto info = Replica::readInfo(path);
    const bool exists = QFile::exists(path);

    ReplicaInfo next;
    next.schemaVersion = Replica::schemaVersion();
    QByteArray key;
    const bool keychain = m_options.useKeychain && m_keys.keychainAvailable()
                          && (!exists || !info.ok() || info->keySource != QStringLiteral("passphrase"));
    const QString account = m_serverUrl + QLatin1Char('|') + m_username;
    if (keychain) {
        auto k = m_keys.keychainKey(account);
        if (!k) {
            Q_EMIT signInFailed(q(k.failure().code), q(k.failure().message));
            return false;
        }
        key = *k;
        next.keySource = QStringLiteral("keychain");
        next.keychainBackend = m_keys.backendName();
    } else {
        if (passphrase.isEmpty()) {
            Q_EMIT signInFailed(QStringLiteral("key.passphrase_required"),
                                tr("This computer has no keychain service: enter a passphrase to "
                                   "protect the copy of your cases kept here."));
            return false;
        }
        next.passphraseSalt = exists && info.ok() && !info->passphraseSalt.isEmpty()
                                  ? info->passphraseSalt
                                  : KeyStore::newSalt();
        auto k = KeyStore::deriveKey(passphrase, next.passphraseSalt);
        if (!k) {
            Q_EMIT signInFailed(q(k.failure().code), q(k.failure().message));
            return false;
        }
        key = *k;
        next.keySource = QStringLiteral("passphrase");
        next.keychainBackend = QStringLiteral("none");
    }

    auto opened = Replica::open(path, key);
    if (!opened) {
        const std::string code = opened.failure().code;
        if (code == "replica.wrong_key" && !keychain && !startFresh) {
            Q_EMIT signInFailed(
                QStringLiteral("replica.wrong_passphrase"),
                tr("That passphrase does not open the copy of your cases on this computer. Try "
                   "again, or start fresh to download your cases again (commands not yet sent "
                   "from this computer would be lost)."));
            return false;
        }
        if (code == "replica.io") {
            Q_EMIT signInFailed(q(code), q(opened.failure().message));
            return false;
        }
        // Wrong key from the keychain, a damaged file or one a newer Latch wrote: keep what the
        // user did that the server has not seen, and rebuild the rest from the server.
        auto salvaged = Replica::salvageOutbox(path, key);
        QString exported;
        if (!salvaged.empty()) {
            exported = path + QStringLiteral(".unsent-%1.json")
                                  .arg(QDateTime::currentDateTime().toString(
                                      QStringLiteral("yyyyMMdd-hhmmss")));
            if (!Replica::exportOutbox(salvaged, exported))
                exported.clear();
        }
        auto rebuilt = Replica::rebuild(path, key, salvaged);
        if (!rebuilt) {
            Q_EMIT signInFailed(q(rebuilt.failure().code), q(rebuilt.failure().message));
            return false;
        }
        m_replica = std::move(*rebuilt);
        QString notice = tr("The copy of your cases on this computer could not be opened (%1). "
                            "It was set aside and is being downloaded again.")
                             .arg(q(opened.failure().message));
        if (!salvaged.empty()) {
            notice += QLatin1Char(' ')
                      + tr("%n unsent command(s) were kept and will be sent.", nullptr,
                           int(salvaged.size()));
            if (!exported.isEmpty())
                notice += QLatin1Char(' ') + tr("A copy of them is in %1.").arg(exported);
        }
        Q_EMIT replicaNotice(notice);
    } else {
        m_replica = std::move(*opened);
    }
    next.cipherVersion = m_replica->cipherVersion();
    Replica::writeInfo(path, next);
    return true;
}

// --- the connection ---

void SyncWorker::connectNow()
{
    if (m_paused)
        return;
    if (m_ws) {
        m_ws->close();
        m_ws->deleteLater();
    }
    m_ws = new WsConnection(this);
    m_ws->setCaFile(m_options.caFile);
    connect(m_ws, &WsConnection::connected, this, &SyncWorker::onConnected);
    connect(m_ws, &WsConnection::failed, this, &SyncWorker::onFailed);
    connect(m_ws, &WsConnection::received, this, &SyncWorker::onEnvelope);
    m_sentOnThisConnection.clear();
    m_ws->open(m_url);
}

void SyncWorker::onConnected()
{
    if (m_phase == Phase::LoggingIn) {
        v1::Envelope envelope;
        auto* login = envelope.mutable_login();
        login->set_username(m_username.toStdString());
        login->set_password(m_password.toStdString());
        login->set_device(m_options.deviceId.toStdString());
        m_ws->send(envelope);
        return;
    }
    sendHello();
}

void SyncWorker::sendHello()
{
    v1::Envelope envelope;
    auto* hello = envelope.mutable_hello();
    hello->set_protocol_version(kProtocolVersion);
    hello->set_token(m_token);
    hello->set_device_id(m_options.deviceId.toStdString());
    if (m_replica)
        m_replica->dropUnappliedSnapshot(); // an earlier connection's unfinished snapshot
    hello->set_cursor(m_replica ? m_replica->cursor() : 0);
    hello->set_live(true);
    m_ws->send(envelope);
    setPhase(Phase::Hello);
}

void SyncWorker::onFailed(const QString& code, const QString& message)
{
    if (sender() != m_ws)
        return; // an old connection we already replaced
    if (m_phase == Phase::LoggingIn) {
        m_phase = Phase::Idle;
        m_password.clear();
        Q_EMIT signInFailed(code, message);
        Q_EMIT stateChanged(AppSession::State::SignedOut);
        return;
    }
    if (!m_replica)
        return;
    qCInfo(lcSync) << "offline:" << code << message;
    m_phase = Phase::Idle;
    Q_EMIT stateChanged(AppSession::State::Offline);
    scheduleReconnect();
}

void SyncWorker::scheduleReconnect()
{
    if (m_paused || !m_replica)
        return;
    // Exponential back-off with full jitter, so a restarted server is not hit by every client
    // at the same moment.
    const int ceiling = std::min(kMaxBackoffMs, kBaseBackoffMs << std::min(m_attempt, 6));
    const int delay = ceiling / 2 + int(QRandomGenerator::global()->bounded(ceiling / 2 + 1));
    ++m_attempt;
    qCDebug(lcSync) << "reconnecting in" << delay << "ms";
    m_reconnect.start(delay);
}

void SyncWorker::pause()
{
    m_paused = true;
    m_reconnect.stop();
    if (m_ws) {
        m_ws->close();
        m_ws->deleteLater();
        m_ws = nullptr;
    }
    if (m_replica) {
        m_phase = Phase::Idle;
        Q_EMIT stateChanged(AppSession::State::Offline);
    }
}

void SyncWorker::resume()
{
    m_paused = false;
    m_attempt = 0;
    if (m_replica && !(m_ws && m_ws->isOpen()))
        connectNow();
}

void SyncWorker::onEnvelope(const v1::Envelope& envelope)
{
    if (sender() != m_ws)
        return;
    switch (envelope.msg_case()) {
    case v1::Envelope::kLoginResult:
        onLoginResult(envelope.login_result());
        break;
    case v1::Envelope::kWelcome:
        onWelcome(envelope.welcome());
        break;
    case v1::Envelope::kSnapshot:
        onSnapshotPage(envelope.snapshot());
        break;
    case v1::Envelope::kEvents:
        onEventBatch(envelope.events());
        break;
    case v1::Envelope::kRevoke:
        onRevoke(envelope.revoke());
        break;
    case v1::Envelope::kCommandResult:
        onCommandResult(envelope.command_result());
        break;
    case v1::Envelope::kQueryResult:
        onQueryResult(envelope.query_result());
        break;
    case v1::Envelope::kError:
        onServerError(envelope.error());
        break;
    default:
        qCWarning(lcSync) << "ignoring an unexpected message from the server:" << envelope.msg_case();
        break;
    }
}

void SyncWorker::onLoginResult(const v1::LoginResult& result)
{
    if (m_phase != Phase::LoggingIn)
        return;
    if (!result.ok()) {
        m_phase = Phase::Idle;
        m_password.clear();
        m_ws->close();
        Q_EMIT signInFailed(q(result.code()), q(result.message()));
        Q_EMIT stateChanged(AppSession::State::SignedOut);
        return;
    }
    m_password.clear();
    if (!openReplica(m_passphrase, m_startFresh)) {
        m_phase = Phase::Idle;
        m_ws->close();
        Q_EMIT stateChanged(AppSession::State::SignedOut);
        return;
    }
    m_passphrase.clear();
    m_token = result.token();
    m_replica->setSetting("token", m_token);
    emitOutbox();
    emitQueueReset();
    sendHello();
}

void SyncWorker::onWelcome(const v1::Welcome& welcome)
{
    m_user = welcome.user();
    m_replica->setSetting("user", m_user.SerializeAsString());
    m_attempt = 0;
    Q_EMIT signedIn(m_serverUrl, m_user);
    setPhase(Phase::Snapshot);
    m_snapshotReset = false;
    flushOutbox();
}

void SyncWorker::onSnapshotPage(const v1::SnapshotPage& page)
{
    if (!m_replica)
        return;
    m_replica->applySnapshotPage(page);
    if (!page.last())
        return;
    emitQueueReset();
    if (!m_loadedCase.isEmpty())
        loadCase(m_loadedCase);
    setPhase(Phase::Live);
    // The queue is up; writing the snapshot through to the file can wait its turn.
    QTimer::singleShot(0, this, [this] {
        if (!m_replica)
            return;
        try {
            m_replica->checkpoint();
        } catch (const std::exception& e) {
            qCWarning(lcSync) << "checkpoint after the snapshot failed:" << e.what();
        }
    });
}

void SyncWorker::onEventBatch(const v1::EventBatch& batch)
{
    if (!m_replica)
        return;
    std::set<std::string> arrived;
    for (const auto& c : batch.cases())
        arrived.insert(c.case_().id());
    const auto changed = m_replica->applyEventBatch(batch);
    emitQueueRows(changed, {});
    reloadLoadedCase(changed);
    notifyAbout(changed, arrived);
}

void SyncWorker::onRevoke(const v1::Revoke& revoke)
{
    if (!m_replica)
        return;
    m_replica->revoke(revoke.case_id());
    m_waitingOnMe.erase(revoke.case_id());
    const QString id = q(revoke.case_id());
    emitQueueRows({}, {id});
    if (id == m_loadedCase)
        Q_EMIT caseGone(id, tr("This case is no longer in your view (%1).").arg(q(revoke.reason())));
}

void SyncWorker::onCommandResult(const v1::CommandResult& result)
{
    if (!m_replica)
        return;
    const auto caseId = m_replica->completeCommand(result);
    emitOutbox();
    const QString id = q(caseId.value_or(result.case_id()));
    Q_EMIT commandAnswered(q(result.command_id()), id, result.accepted(), q(result.code()),
                           q(result.message()));
    if (!id.isEmpty())
        emitQueueRows({id.toStdString()}, {});
}

void SyncWorker::onQueryResult(const v1::QueryResult& result)
{
    auto it = m_queries.find(result.query_id());
    if (it == m_queries.end())
        return;
    const PendingQuery asked = it->second;
    m_queries.erase(it);
    switch (asked.kind) {
    case QueryKind::Rules:
        Q_EMIT rulesChecked(asked.caseId, result.ok(), result.rule_check(), q(result.message()));
        break;
    case QueryKind::Actions:
        Q_EMIT actionsListed(asked.caseId, result.ok(),
                             QVector<v1::ActionOffer>(result.actions().begin(),
                                                      result.actions().end()),
                             q(result.message()));
        break;
    case QueryKind::Plan:
        Q_EMIT actionPlanned(asked.caseId, asked.action, result.ok(), result.plan(),
                             q(result.code()), q(result.message()));
        break;
    case QueryKind::Proof:
        if (result.ok())
            fetchLogKeys(asked.caseId, result);
        else
            Q_EMIT proofLoaded(asked.caseId, false, result, {}, {}, q(result.code()),
                               q(result.message()));
        break;
    case QueryKind::Audit:
        Q_EMIT auditAnswered(result.ok(), result, q(result.code()), q(result.message()));
        break;
    }
}

void SyncWorker::onServerError(const v1::Error& error)
{
    qCInfo(lcSync) << "server error" << q(error.code()) << q(error.message());
    if (sessionEnding(error.code())) {
        // The token no longer works (expired, revoked, account disabled): sign in again. The
        // replica keeps unsent commands for then.
        if (m_replica)
            m_replica->removeSetting("token");
        endSession(q(error.code()), q(error.message()));
    }
    // Anything else fatal is followed by a close; onFailed() reconnects from the cursor.
}

// --- commands and reads ---

void SyncWorker::enqueue(const v1::Command& command)
{
    if (!m_replica) {
        Q_EMIT commandAnswered(q(command.command_id()), {}, false, QStringLiteral("session.signed_out"),
                               tr("Sign in first."));
        return;
    }
    m_replica->enqueue(command, nowMs());
    emitOutbox();
    if (m_phase == Phase::Snapshot || m_phase == Phase::Live)
        flushOutbox();
}

void SyncWorker::flushOutbox()
{
    if (!m_ws || !m_ws->isOpen() || !m_replica)
        return;
    // In order, each once per connection; after a reconnect everything still pending goes again
    // with the same command_id, which the server answers at most once.
    for (const auto& entry : m_replica->pendingCommands()) {
        if (!m_sentOnThisConnection.insert(entry.commandId).second)
            continue;
        v1::Envelope envelope;
        *envelope.mutable_command() = entry.command;
        m_ws->send(envelope);
    }
}

void SyncWorker::dismiss(const QString& commandId)
{
    if (!m_replica)
        return;
    m_replica->dismiss(commandId.toStdString());
    emitOutbox();
}

void SyncWorker::loadCase(const QString& caseId)
{
    m_loadedCase = caseId;
    if (!m_replica) {
        Q_EMIT caseGone(caseId, tr("Sign in to see this case."));
        return;
    }
    const auto c = m_replica->loadCase(caseId.toStdString());
    if (!c) {
        Q_EMIT caseGone(caseId, tr("This case is not among your cases."));
        return;
    }
    const auto events = m_replica->caseEvents(caseId.toStdString());
    Q_EMIT caseLoaded(caseId, *c, QVector<v1::Event>(events.begin(), events.end()));
}

bool SyncWorker::canQuery() const
{
    return m_ws && m_ws->isOpen() && (m_phase == Phase::Snapshot || m_phase == Phase::Live);
}

bool SyncWorker::sendQuery(v1::Query query, PendingQuery pending)
{
    if (!canQuery())
        return false;
    const std::string id = "q-" + std::to_string(++m_queryCounter);
    query.set_query_id(id);
    v1::Envelope envelope;
    *envelope.mutable_query() = std::move(query);
    m_queries[id] = std::move(pending);
    m_ws->send(envelope);
    return true;
}

void SyncWorker::checkRules(const QString& caseId)
{
    v1::Query query;
    query.mutable_check_rules()->set_case_id(caseId.toStdString());
    if (!sendQuery(std::move(query), { QueryKind::Rules, caseId, {} }))
        Q_EMIT rulesChecked(caseId, false, {},
                            tr("Offline: which rule applies and who may approve is shown when "
                               "the server is reachable."));
}

void SyncWorker::listActions(const QString& caseId)
{
    v1::Query query;
    query.mutable_list_actions()->set_case_id(caseId.toStdString());
    if (!sendQuery(std::move(query), { QueryKind::Actions, caseId, {} }))
        Q_EMIT actionsListed(caseId, false, {},
                             tr("Offline: plugin actions need the server. They are listed again "
                                "when it is reachable."));
}

void SyncWorker::planAction(const QString& caseId, const QString& action)
{
    v1::Query query;
    query.mutable_plan_action()->set_case_id(caseId.toStdString());
    query.mutable_plan_action()->set_action(action.toStdString());
    if (!sendQuery(std::move(query), { QueryKind::Plan, caseId, action }))
        Q_EMIT actionPlanned(caseId, action, false, {}, QStringLiteral("net.offline"),
                             tr("Offline: the plan of an action comes from the server."));
}

void SyncWorker::loadProof(const QString& caseId)
{
    v1::Query query;
    query.mutable_get_case_proof()->set_case_id(caseId.toStdString());
    if (!sendQuery(std::move(query), { QueryKind::Proof, caseId, {} }))
        Q_EMIT proofLoaded(caseId, false, {}, {}, {}, QStringLiteral("net.offline"),
                           tr("Offline: the proof comes from the server's signed log. It is "
                              "checked again when the server is reachable."));
}

void SyncWorker::auditQuery(const v1::AuditQuery& audit)
{
    v1::Query query;
    *query.mutable_audit_query() = audit;
    if (!sendQuery(std::move(query), { QueryKind::Audit, {}, {} }))
        Q_EMIT auditAnswered(false, {}, QStringLiteral("net.offline"),
                             tr("Offline: the audit searches the server's history. Search again "
                                "when the server is reachable."));
}

void SyncWorker::fetchLogKeys(const QString& caseId, const v1::QueryResult& result)
{
    // The keys come from the server the case came from, over the same TLS trust as the sync
    // connection; they are pinned, so a later answer can add a rotated key but never take one
    // away or swap the ones this copy already trusts.
    QUrl url = m_url;
    url.setScheme(m_url.scheme() == QStringLiteral("wss") ? QStringLiteral("https")
                                                         : QStringLiteral("http"));
    url.setPath(QStringLiteral("/.well-known/latch/log-keys"));
    url.setQuery(QString());
    if (!m_http)
        m_http = new QNetworkAccessManager(this);
    QNetworkRequest request(url);
    request.setTransferTimeout(10'000);
    if (!m_options.caFile.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(QSslCertificate::fromPath(m_options.caFile, QSsl::Pem));
        request.setSslConfiguration(tls);
    }
    QNetworkReply* reply = m_http->get(request);
    const auto done = [this, reply, caseId, result, server = m_serverUrl, user = m_username] {
        reply->deleteLater();
        QString keysNote;
        QStringList served;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            keysNote = tr("The server's log keys could not be fetched (%1); the keys this "
                          "computer already knows were used.")
                           .arg(reply->errorString());
        } else {
            const QString text = QString::fromUtf8(reply->readAll());
            for (QString line : text.split(QLatin1Char('\n'))) {
                line = line.trimmed();
                if (line.startsWith(QLatin1Char('#')))
                    line = line.mid(1).trimmed();
                if (!line.isEmpty() && note::decodeVerifierKey(line.toStdString()))
                    served << line;
            }
        }
        // Signed out, or into another server or account, meanwhile: these keys are not its.
        if (!m_replica || server != m_serverUrl || user != m_username)
            return;
        Q_EMIT proofLoaded(caseId, true, result, pinLogKeys(served), keysNote, {}, {});
    };
    connect(reply, &QNetworkReply::finished, this, done);
}

QVector<TrustedKey> SyncWorker::pinLogKeys(const QStringList& served)
{
    // Stored as "<first seen ms> <key>" lines in the replica's encrypted settings.
    QVector<TrustedKey> keys;
    const QString stored = q(m_replica->setting("log_keys").value_or(std::string()));
    for (const QString& line : stored.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        if (space > 0)
            keys.push_back({ line.mid(space + 1), line.left(space).toLongLong() });
    }
    bool added = false;
    for (const QString& key : served) {
        const bool known = std::any_of(keys.begin(), keys.end(),
                                       [&](const TrustedKey& k) { return k.verifierKey == key; });
        if (!known) {
            keys.push_back({ key, nowMs() });
            added = true;
        }
    }
    if (added) {
        QStringList lines;
        for (const auto& k : keys)
            lines << QStringLiteral("%1 %2").arg(k.firstSeenMs).arg(k.verifierKey);
        m_replica->setSetting("log_keys", lines.join(QLatin1Char('\n')).toStdString());
    }
    return keys;
}

// --- what goes to the UI ---

void SyncWorker::emitOutbox()
{
    if (m_replica)
        Q_EMIT outboxChanged(m_replica->outbox());
}

void SyncWorker::emitQueueReset()
{
    auto rows = m_replica->queueRows();
    m_waitingOnMe.clear();
    for (const auto& row : rows) {
        if (waitingOnMe(row))
            m_waitingOnMe.insert(row.id.toStdString());
    }
    Q_EMIT queueReset(QVector<QueueRow>(std::make_move_iterator(rows.begin()),
                                        std::make_move_iterator(rows.end())));
}

void SyncWorker::emitQueueRows(const std::vector<std::string>& caseIds, const QStringList& removed)
{
    QVector<QueueRow> rows;
    QStringList gone = removed;
    for (const auto& id : caseIds) {
        if (auto row = m_replica->queueRow(id))
            rows.push_back(std::move(*row));
        else
            gone << q(id);
    }
    if (!rows.isEmpty() || !gone.isEmpty())
        Q_EMIT queueChanged(rows, gone);
}

void SyncWorker::reloadLoadedCase(const std::vector<std::string>& changed)
{
    if (m_loadedCase.isEmpty())
        return;
    const std::string id = m_loadedCase.toStdString();
    if (std::find(changed.begin(), changed.end(), id) != changed.end())
        loadCase(m_loadedCase);
}

bool SyncWorker::waitingOnMe(const QueueRow& row) const
{
    const QString me = q(m_user.username());
    if (row.status != QStringLiteral("awaiting_approval") || me.isEmpty() || row.preparer == me
        || row.requester == me || row.approvers.contains(me))
        return false;
    // Approvals fill the stages in order: the first stage not yet full is the one waiting.
    int given = int(row.approvers.size());
    for (const auto& [needed, roles] : row.stages) {
        if (given >= needed) {
            given -= needed;
            continue;
        }
        for (const auto& role : m_user.roles()) {
            if (roles.contains(q(role)))
                return true;
        }
        return false;
    }
    return false;
}

void SyncWorker::notifyAbout(const std::vector<std::string>& caseIds,
                             const std::set<std::string>& arrived)
{
    for (const auto& id : caseIds) {
        const auto row = m_replica->queueRow(id);
        if (!row)
            continue;
        if (waitingOnMe(*row)) {
            if (m_waitingOnMe.insert(id).second) {
                Q_EMIT notify(tr("Approval waiting on you"), row->title, row->id);
                continue;
            }
        } else {
            m_waitingOnMe.erase(id);
        }
        if (arrived.count(id) && row->requester != q(m_user.username()))
            Q_EMIT notify(tr("New case in your queue"), row->title, row->id);
    }
}

} // namespace latch::app
