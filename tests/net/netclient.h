#pragma once
// A small synchronous-looking sync-protocol client for tests: a QWebSocket whose received binary
// frames are parsed into Envelopes and waited for with a timeout, plus the Login and Hello steps.
#include "latch.pb.h"

#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QWebSocket>

#include <deque>
#include <optional>

class NetClient : public QObject {
    Q_OBJECT
public:
    explicit NetClient(QObject* parent = nullptr);

    void setSslConfiguration(const QSslConfiguration& config);
    // Connects and waits for the handshake. false when it failed or timed out.
    bool open(const QString& url, int timeoutMs = 10000);
    void close();

    void send(const latch::v1::Envelope& envelope);
    void sendBinary(const QByteArray& bytes);
    void sendText(const QString& text);

    // The next frame as an Envelope; nullopt on timeout, on close with nothing left, or when the
    // frame does not parse (see lastError()).
    std::optional<latch::v1::Envelope> next(int timeoutMs = 10000);
    // Whether anything arrives within `ms` (used to show that nothing more is sent).
    bool quietFor(int ms);
    bool waitClosed(int timeoutMs = 10000);

    bool isConnected() const { return m_connected && !m_closed; }
    bool isClosed() const { return m_closed; }
    int closeCode() const { return int(m_socket.closeCode()); }
    QString closeReason() const { return m_socket.closeReason(); }
    QString lastError() const { return m_error; }
    int textFramesReceived() const { return m_textFrames; }
    QWebSocket& socket() { return m_socket; }

    // Login -> the token (empty when refused); the whole LoginResult goes to `result` if given.
    QString login(const QString& user, const QString& password,
                  latch::v1::LoginResult* result = nullptr);
    // Hello -> Welcome (nullopt when the server answered something else; see lastError()).
    std::optional<latch::v1::Welcome> hello(const QString& token, quint64 cursor = 0,
                                            bool live = false, quint32 version = 1);

private:
    QWebSocket m_socket;
    std::deque<QByteArray> m_inbox;
    bool m_connected = false;
    bool m_closed = false;
    int m_textFrames = 0;
    QString m_error;
};
