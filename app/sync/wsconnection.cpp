#include "sync/wsconnection.h"

#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>

Q_LOGGING_CATEGORY(lcWs, "latch.sync.ws")

namespace latch::app {

WsConnection::WsConnection(QObject* parent)
    : QObject(parent)
{
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("net.unreachable"),
            tr("The server did not answer in time. Check the address and your network."));
        m_socket.abort();
    });
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_connectTimer.stop();
        m_open = true;
        Q_EMIT connected();
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& bytes) {
        v1::Envelope envelope;
        if (!envelope.ParseFromArray(bytes.constData(), int(bytes.size()))) {
            fail(QStringLiteral("protocol.malformed"),
                tr("The server sent something this app does not understand."));
            m_socket.abort();
            return;
        }
        Q_EMIT received(envelope);
    });
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
        QStringList texts;
        for (const auto& e : errors)
            texts << e.errorString();
        m_tlsError = texts.join(QStringLiteral("; "));
    });
    // Qt 6.4 has no errorOccurred; the overloaded error signal is the one there is.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        [this](QAbstractSocket::SocketError error) {
            if (!m_tlsError.isEmpty() || error == QAbstractSocket::SslHandshakeFailedError) {
                fail(QStringLiteral("net.tls"),
                    tr("The server's certificate is not trusted (%1). Check the address, or "
                       "ask your administrator for the right certificate.")
                        .arg(m_tlsError.isEmpty() ? m_socket.errorString() : m_tlsError));
                return;
            }
            if (!m_open) {
                fail(QStringLiteral("net.unreachable"),
                    tr("Cannot reach the server (%1). Check the address and your network.")
                        .arg(m_socket.errorString()));
            }
        });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_connectTimer.stop();
        const bool wasOpen = m_open;
        m_open = false;
        m_closeCode = int(m_socket.closeCode());
        if (m_closing)
            return;
        if (wasOpen) {
            fail(QStringLiteral("net.closed"),
                tr("The connection to the server was closed (%1).")
                    .arg(m_socket.closeReason().isEmpty() ? QString::number(m_closeCode)
                                                          : m_socket.closeReason()));
        } else {
            fail(QStringLiteral("net.unreachable"),
                tr("Cannot reach the server. Check the address and your network."));
        }
    });
}

WsConnection::~WsConnection()
{
    m_closing = true;
    m_socket.abort();
}

QUrl WsConnection::normalizeUrl(const QString& text)
{
    QString t = text.trimmed();
    if (t.isEmpty())
        return {};
    if (!t.contains(QStringLiteral("://")))
        t.prepend(QStringLiteral("ws://"));
    QUrl url(t, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme == QStringLiteral("http"))
        url.setScheme(QStringLiteral("ws"));
    else if (scheme == QStringLiteral("https"))
        url.setScheme(QStringLiteral("wss"));
    else if (scheme != QStringLiteral("ws") && scheme != QStringLiteral("wss"))
        return {};
    if (url.path().isEmpty() || url.path() == QStringLiteral("/"))
        url.setPath(QStringLiteral("/sync"));
    return url;
}

void WsConnection::open(const QUrl& url, int timeoutMs)
{
    m_closing = false;
    m_failed = false;
    m_open = false;
    m_closeCode = 0;
    m_tlsError.clear();
    if (!url.isValid()
        || (url.scheme() != QStringLiteral("ws") && url.scheme() != QStringLiteral("wss"))) {
        QTimer::singleShot(0, this, [this] {
            fail(QStringLiteral("net.bad_url"),
                tr("That is not a server address. Use the form wss://latch.example.com or "
                   "localhost:7443."));
        });
        return;
    }
    if (!m_caFile.isEmpty()) {
        const auto authorities = QSslCertificate::fromPath(m_caFile, QSsl::Pem);
        if (authorities.isEmpty()) {
            QTimer::singleShot(0, this, [this] {
                fail(QStringLiteral("net.tls"),
                    tr("The certificate file %1 holds no PEM certificate to trust.").arg(m_caFile));
            });
            return;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(authorities);
        m_socket.setSslConfiguration(tls);
    }
    qCDebug(lcWs) << "connecting to" << url.toString();
    m_connectTimer.start(timeoutMs);
    m_socket.open(url);
}

void WsConnection::close()
{
    m_closing = true;
    m_connectTimer.stop();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.close();
    m_open = false;
}

void WsConnection::send(const v1::Envelope& envelope)
{
    if (!m_open)
        return;
    const std::string bytes = envelope.SerializeAsString();
    m_socket.sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

void WsConnection::fail(const QString& code, const QString& message)
{
    if (m_failed || m_closing)
        return;
    m_failed = true;
    m_connectTimer.stop();
    qCInfo(lcWs) << code << message;
    Q_EMIT failed(code, message);
}

} // namespace latch::app
