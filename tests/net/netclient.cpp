#include "netclient.h"

#include <QAbstractSocket>
#include <QTest>

NetClient::NetClient(QObject* parent)
    : QObject(parent)
{
    // Large enough that the test's oversized message leaves as one frame.
    m_socket.setOutgoingFrameSize(8 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::connected, this, [this] { m_connected = true; });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_closed = true; });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray& message) { m_inbox.push_back(message); });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this] { ++m_textFrames; });
    // Qt 6.4: the overloaded error signal (errorOccurred arrives in 6.5).
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) { m_error = m_socket.errorString(); });
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
        for (const auto& e : errors)
            m_error += e.errorString() + QLatin1Char(';');
    });
}

void NetClient::setSslConfiguration(const QSslConfiguration& config)
{
    m_socket.setSslConfiguration(config);
}

bool NetClient::open(const QString& url, int timeoutMs)
{
    m_socket.open(QUrl(url));
    (void)QTest::qWaitFor([this] { return m_connected || m_closed; }, timeoutMs);
    return m_connected && !m_closed;
}

void NetClient::close()
{
    m_socket.close();
    waitClosed(5000);
}

void NetClient::send(const latch::v1::Envelope& envelope)
{
    const std::string bytes = envelope.SerializeAsString();
    sendBinary(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

void NetClient::sendBinary(const QByteArray& bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

void NetClient::sendText(const QString& text)
{
    m_socket.sendTextMessage(text);
}

std::optional<latch::v1::Envelope> NetClient::next(int timeoutMs)
{
    (void)QTest::qWaitFor([this] { return !m_inbox.empty() || m_closed; }, timeoutMs);
    if (m_inbox.empty()) {
        m_error = m_closed ? QStringLiteral("closed (%1 %2) before a frame arrived")
                                 .arg(closeCode())
                                 .arg(closeReason())
                           : QStringLiteral("no frame within %1 ms").arg(timeoutMs);
        return std::nullopt;
    }
    const QByteArray bytes = m_inbox.front();
    m_inbox.pop_front();
    latch::v1::Envelope envelope;
    if (!envelope.ParseFromArray(bytes.constData(), int(bytes.size()))) {
        m_error = QStringLiteral("a frame of %1 bytes is not an Envelope").arg(bytes.size());
        return std::nullopt;
    }
    return envelope;
}

bool NetClient::quietFor(int ms)
{
    QTest::qWait(ms);
    return m_inbox.empty();
}

bool NetClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

QString NetClient::login(const QString& user, const QString& password,
                        latch::v1::LoginResult* result)
{
    latch::v1::Envelope envelope;
    envelope.mutable_login()->set_username(user.toStdString());
    envelope.mutable_login()->set_password(password.toStdString());
    envelope.mutable_login()->set_device("protocoltest");
    send(envelope);
    auto reply = next();
    if (!reply || !reply->has_login_result()) {
        if (reply)
            m_error = QStringLiteral("expected LoginResult, got %1")
                          .arg(QString::fromStdString(reply->ShortDebugString()));
        return {};
    }
    if (result)
        *result = reply->login_result();
    return reply->login_result().ok() ? QString::fromStdString(reply->login_result().token())
                                      : QString();
}

std::optional<latch::v1::Welcome> NetClient::hello(const QString& token, quint64 cursor, bool live,
                                                  quint32 version)
{
    latch::v1::Envelope envelope;
    auto* hello = envelope.mutable_hello();
    hello->set_protocol_version(version);
    hello->set_token(token.toStdString());
    hello->set_device_id("protocoltest");
    hello->set_cursor(cursor);
    hello->set_live(live);
    send(envelope);
    auto reply = next();
    if (!reply || !reply->has_welcome()) {
        if (reply)
            m_error = QStringLiteral("expected Welcome, got %1")
                          .arg(QString::fromStdString(reply->ShortDebugString()));
        return std::nullopt;
    }
    return reply->welcome();
}
