#include "sync/appsession.h"

#include "latch/ids.h"
#include "sync/syncworker.h"

#include <QCoreApplication>
#include <QJSEngine>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>
#include <QUuid>

#include <algorithm>

namespace latch::app {

namespace {

QPointer<AppSession> g_instance;

void registerTypes()
{
    static const bool done = [] {
        qRegisterMetaType<latch::app::QueueRow>();
        qRegisterMetaType<QVector<latch::app::QueueRow>>();
        qRegisterMetaType<std::vector<latch::app::OutboxEntry>>();
        qRegisterMetaType<latch::v1::Case>();
        qRegisterMetaType<latch::v1::Event>();
        qRegisterMetaType<QVector<latch::v1::Event>>();
        qRegisterMetaType<latch::v1::RuleCheck>();
        qRegisterMetaType<latch::v1::ActionOffer>();
        qRegisterMetaType<QVector<latch::v1::ActionOffer>>();
        qRegisterMetaType<latch::v1::ActionPlan>();
        qRegisterMetaType<latch::v1::QueryResult>();
        qRegisterMetaType<QVector<latch::app::TrustedKey>>();
        qRegisterMetaType<latch::v1::User>();
        qRegisterMetaType<latch::v1::Command>();
        qRegisterMetaType<latch::app::AppSession::State>();
        return true;
    }();
    (void)done;
}

SessionOptions withDefaults(SessionOptions options)
{
    if (options.dataDir.isEmpty())
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (options.deviceId.isEmpty()) {
        QSettings settings;
        options.deviceId = settings.value(QStringLiteral("device/id")).toString();
        if (options.deviceId.isEmpty()) {
            options.deviceId = QUuid::createUuid().toString(QUuid::WithoutBraces);
            settings.setValue(QStringLiteral("device/id"), options.deviceId);
        }
    }
    return options;
}

} // namespace

AppSession::AppSession(SessionOptions options, QObject* parent)
    : QObject(parent)
    , m_options(withDefaults(std::move(options)))
{
    registerTypes();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("latch-sync"));
    m_worker = new SyncWorker(m_options);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    // Worker -> UI thread: queued, carrying copies.
    connect(m_worker, &SyncWorker::keychainProbed, this, [this](bool available) {
        if (m_keychainAvailable == available)
            return;
        m_keychainAvailable = available;
        Q_EMIT keychainAvailableChanged();
    });
    connect(m_worker, &SyncWorker::signInFailed, this,
            [this](const QString& code, const QString& message) {
                setBusy(false);
                setError(code, message);
            });
    connect(m_worker, &SyncWorker::signedIn, this,
            [this](const QString& serverUrl, const latch::v1::User& user) {
                setBusy(false);
                setError({}, {});
                if (m_serverUrl != serverUrl) {
                    m_serverUrl = serverUrl;
                    Q_EMIT serverUrlChanged();
                }
                QStringList roles;
                for (const auto& role : user.roles())
                    roles << QString::fromStdString(role);
                const QString name = QString::fromStdString(user.username());
                if (!name.isEmpty()) {
                    m_username = name;
                    m_displayName = QString::fromStdString(user.display_name());
                    m_roles = roles;
                    Q_EMIT userChanged();
                }
            });
    connect(m_worker, &SyncWorker::signedOut, this, [this](const QString& code, const QString& message) {
        setBusy(false);
        m_outbox.clear();
        Q_EMIT outboxChanged();
        if (!code.isEmpty())
            setError(code, message);
    });
    connect(m_worker, &SyncWorker::stateChanged, this, &AppSession::setState);
    connect(m_worker, &SyncWorker::replicaNotice, this, [this](const QString& text) {
        m_replicaNotice = text;
        Q_EMIT replicaNoticeChanged();
    });
    connect(m_worker, &SyncWorker::outboxChanged, this,
            [this](const std::vector<latch::app::OutboxEntry>& entries) {
                m_outbox = entries;
                Q_EMIT outboxChanged();
            });
    connect(m_worker, &SyncWorker::queueReset, this, &AppSession::queueReset);
    connect(m_worker, &SyncWorker::queueChanged, this, &AppSession::queueChanged);
    connect(m_worker, &SyncWorker::caseLoaded, this, &AppSession::caseLoaded);
    connect(m_worker, &SyncWorker::caseGone, this, &AppSession::caseGone);
    connect(m_worker, &SyncWorker::rulesChecked, this, &AppSession::rulesChecked);
    connect(m_worker, &SyncWorker::actionsListed, this, &AppSession::actionsListed);
    connect(m_worker, &SyncWorker::actionPlanned, this, &AppSession::actionPlanned);
    connect(m_worker, &SyncWorker::commandAnswered, this, &AppSession::commandAnswered);
    connect(m_worker, &SyncWorker::notify, this, &AppSession::notify);
    connect(m_worker, &SyncWorker::proofLoaded, this, &AppSession::proofLoaded);
    connect(m_worker, &SyncWorker::auditAnswered, this, &AppSession::auditAnswered);

    m_thread->start();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->start(); });
}

AppSession::~AppSession()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->shutdown(); },
                              Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

AppSession* AppSession::create(QQmlEngine*, QJSEngine*)
{
    if (!g_instance)
        g_instance = new AppSession(SessionOptions{});
    // The engine must not delete an instance it did not make alone: C++ owns it.
    QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

void AppSession::setInstance(AppSession* session)
{
    g_instance = session;
}

int AppSession::pendingCount() const
{
    return int(std::count_if(m_outbox.begin(), m_outbox.end(), [](const OutboxEntry& e) {
        return e.state == OutboxEntry::State::Pending;
    }));
}

int AppSession::rejectedCount() const
{
    return int(m_outbox.size()) - pendingCount();
}

QString AppSession::rememberedServerUrl() const
{
    return QSettings().value(QStringLiteral("session/server"), QStringLiteral("ws://127.0.0.1:7443/sync"))
        .toString();
}

QString AppSession::rememberedUsername() const
{
    return QSettings().value(QStringLiteral("session/user")).toString();
}

void AppSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

void AppSession::setError(const QString& code, const QString& message)
{
    if (m_errorCode == code && m_errorMessage == message)
        return;
    m_errorCode = code;
    m_errorMessage = message;
    Q_EMIT errorChanged();
}

void AppSession::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void AppSession::signIn(const QString& serverUrl, const QString& username, const QString& password,
                        const QString& passphrase, bool startFresh)
{
    setError({}, {});
    setBusy(true);
    QSettings settings;
    settings.setValue(QStringLiteral("session/server"), serverUrl.trimmed());
    settings.setValue(QStringLiteral("session/user"), username.trimmed());
    QMetaObject::invokeMethod(m_worker, [=, w = m_worker] {
        w->signIn(serverUrl, username, password, passphrase, startFresh);
    });
}

void AppSession::signOut()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->signOut(); });
}

QString AppSession::submit(v1::Command command)
{
    if (command.command_id().empty())
        command.set_command_id(latch::newUuid());
    const QString id = QString::fromStdString(command.command_id());
    QMetaObject::invokeMethod(m_worker, [w = m_worker, command] { w->enqueue(command); });
    return id;
}

QString AppSession::addNote(const QString& caseId, const QString& text)
{
    v1::Command c;
    c.mutable_add_note()->set_case_id(caseId.toStdString());
    c.mutable_add_note()->set_text(text.toStdString());
    return submit(std::move(c));
}

QString AppSession::markReady(const QString& caseId)
{
    v1::Command c;
    c.mutable_mark_ready()->set_case_id(caseId.toStdString());
    return submit(std::move(c));
}

QString AppSession::approve(const QString& caseId, const QString& comment)
{
    v1::Command c;
    c.mutable_approve()->set_case_id(caseId.toStdString());
    c.mutable_approve()->set_comment(comment.toStdString());
    return submit(std::move(c));
}

QString AppSession::deny(const QString& caseId, const QString& reason)
{
    v1::Command c;
    c.mutable_deny()->set_case_id(caseId.toStdString());
    c.mutable_deny()->set_reason(reason.toStdString());
    return submit(std::move(c));
}

QString AppSession::assign(const QString& caseId, const QString& username)
{
    v1::Command c;
    c.mutable_assign()->set_case_id(caseId.toStdString());
    c.mutable_assign()->set_assignee(username.toStdString());
    return submit(std::move(c));
}

QString AppSession::closeCase(const QString& caseId, const QString& reason)
{
    v1::Command c;
    c.mutable_close()->set_case_id(caseId.toStdString());
    c.mutable_close()->set_reason(reason.toStdString());
    return submit(std::move(c));
}

QString AppSession::reopen(const QString& caseId, const QString& reason)
{
    v1::Command c;
    c.mutable_reopen()->set_case_id(caseId.toStdString());
    c.mutable_reopen()->set_reason(reason.toStdString());
    return submit(std::move(c));
}

QString AppSession::requestAction(const QString& caseId, const QString& action,
                                  const QByteArray& planHash)
{
    v1::Command c;
    c.mutable_request_action()->set_case_id(caseId.toStdString());
    c.mutable_request_action()->set_action(action.toStdString());
    if (!planHash.isEmpty())
        c.mutable_request_action()->set_plan_hash(planHash.toStdString());
    return submit(std::move(c));
}

void AppSession::dismiss(const QString& commandId)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, commandId] { w->dismiss(commandId); });
}

void AppSession::loadCase(const QString& caseId)
{
    m_loadedCase = caseId;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, caseId] { w->loadCase(caseId); });
}

void AppSession::checkRules(const QString& caseId)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, caseId] { w->checkRules(caseId); });
}

void AppSession::listActions(const QString& caseId)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, caseId] { w->listActions(caseId); });
}

void AppSession::planAction(const QString& caseId, const QString& action)
{
    QMetaObject::invokeMethod(m_worker,
                              [w = m_worker, caseId, action] { w->planAction(caseId, action); });
}

void AppSession::loadProof(const QString& caseId)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, caseId] { w->loadProof(caseId); });
}

void AppSession::auditQuery(const v1::AuditQuery& query)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, query] { w->auditQuery(query); });
}

void AppSession::goOffline()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->pause(); });
}

void AppSession::goOnline()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->resume(); });
}

bool rebindSession(QPointer<AppSession>& slot, AppSession* session, QObject* receiver)
{
    if (slot == session)
        return false;
    if (slot)
        QObject::disconnect(slot, nullptr, receiver, nullptr);
    slot = session;
    return true;
}

} // namespace latch::app
