#include "wsclient.h"

#include "latch/ids.h"

#include <QEventLoop>
#include <QTimer>

WsClient::WsClient()
{
    QObject::connect(&m_socket, &QWebSocket::binaryMessageReceived, &m_socket,
                     [this](const QByteArray& message) { m_inbox.append(message); });
    QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket, [this] { m_closed = true; });
}

WsClient::~WsClient()
{
    m_socket.abort();
}

namespace {

// Runs the event loop until `done` is true or the time is up.
template <typename Pred>
bool waitFor(Pred done, int timeoutMs)
{
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    timer.start(timeoutMs);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || !timer.isActive())
            loop.quit();
    });
    poll.start(2);
    if (!done())
        loop.exec();
    return done();
}

} // namespace

bool WsClient::open(const QString& url, int timeoutMs)
{
    m_closed = false;
    m_inbox.clear();
    m_socket.open(QUrl(url));
    return waitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed; },
                   timeoutMs)
           && m_socket.state() == QAbstractSocket::ConnectedState;
}

void WsClient::close()
{
    m_socket.close();
}

bool WsClient::isOpen() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void WsClient::send(const latch::v1::Envelope& envelope)
{
    const std::string bytes = envelope.SerializeAsString();
    m_socket.sendBinaryMessage(QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())));
}

void WsClient::sendRaw(const QByteArray& bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

void WsClient::sendText(const QString& text)
{
    m_socket.sendTextMessage(text);
}

std::optional<latch::v1::Envelope> WsClient::next(int timeoutMs)
{
    if (!waitFor([this] { return !m_inbox.isEmpty() || m_closed; }, timeoutMs) || m_inbox.isEmpty())
        return std::nullopt;
    const QByteArray bytes = m_inbox.takeFirst();
    latch::v1::Envelope envelope;
    if (!envelope.ParseFromArray(bytes.constData(), static_cast<int>(bytes.size())))
        return std::nullopt;
    return envelope;
}

bool WsClient::waitClosed(int timeoutMs)
{
    return waitFor([this] { return m_closed; }, timeoutMs);
}

QString WsClient::login(const QString& user, const QString& password)
{
    latch::v1::Envelope e;
    e.mutable_login()->set_username(user.toStdString());
    e.mutable_login()->set_password(password.toStdString());
    e.mutable_login()->set_device("test");
    send(e);
    auto reply = next();
    lastLogin = reply && reply->has_login_result() ? reply->login_result() : latch::v1::LoginResult{};
    return lastLogin.ok() ? QString::fromStdString(lastLogin.token()) : QString();
}

std::optional<latch::v1::Envelope> WsClient::hello(const QString& token, quint64 cursor, bool live)
{
    latch::v1::Envelope e;
    auto* h = e.mutable_hello();
    h->set_protocol_version(1);
    h->set_token(token.toStdString());
    h->set_device_id("test-device");
    h->set_cursor(cursor);
    h->set_live(live);
    send(e);
    return next();
}

std::optional<latch::v1::Envelope> WsClient::awaitReply(
    const std::function<bool(const latch::v1::Envelope&)>& isReply, int timeoutMs)
{
    for (;;) {
        auto reply = next(timeoutMs);
        if (!reply || reply->has_error())
            return std::nullopt;
        if (isReply(*reply))
            return reply;
        skipped.append(*reply);
    }
}

std::optional<latch::v1::CommandResult> WsClient::command(latch::v1::Command command, int timeoutMs)
{
    if (command.command_id().empty())
        command.set_command_id(latch::newUuid());
    latch::v1::Envelope e;
    *e.mutable_command() = command;
    send(e);
    auto reply = awaitReply(
        [&](const latch::v1::Envelope& r) {
            return r.has_command_result() && r.command_result().command_id() == command.command_id();
        },
        timeoutMs);
    return reply ? std::optional(reply->command_result()) : std::nullopt;
}

std::optional<latch::v1::QueryResult> WsClient::query(latch::v1::Query query, int timeoutMs)
{
    if (query.query_id().empty())
        query.set_query_id(latch::newUuid());
    latch::v1::Envelope e;
    *e.mutable_query() = query;
    send(e);
    auto reply = awaitReply(
        [&](const latch::v1::Envelope& r) {
            return r.has_query_result() && r.query_result().query_id() == query.query_id();
        },
        timeoutMs);
    return reply ? std::optional(reply->query_result()) : std::nullopt;
}
