#pragma once
// A blocking protocol client for tests, on QWebSocket (an implementation independent of the
// server's Beast code): connect, send one Envelope per binary frame, wait for the next Envelope.
#include "latch.pb.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QWebSocket>

#include <functional>
#include <optional>

class WsClient {
public:
    WsClient();
    ~WsClient();

    bool open(const QString& url, int timeoutMs = 5000);
    void close();
    bool isOpen() const;

    void send(const latch::v1::Envelope& envelope);
    void sendRaw(const QByteArray& bytes);
    void sendText(const QString& text);

    // The next envelope received, waiting up to `timeoutMs`; nullopt on time-out or close.
    std::optional<latch::v1::Envelope> next(int timeoutMs = 5000);
    // Waits until the server closes the connection; false on time-out.
    bool waitClosed(int timeoutMs = 5000);
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }

    // Protocol steps. login() returns the token ("" on failure, with the result in lastLogin).
    QString login(const QString& user, const QString& password);
    std::optional<latch::v1::Envelope> hello(const QString& token, quint64 cursor = 0, bool live = false);
    // Sends a command and waits for its result, skipping pushes that arrive meanwhile.
    std::optional<latch::v1::CommandResult> command(latch::v1::Command command, int timeoutMs = 10000);
    std::optional<latch::v1::QueryResult> query(latch::v1::Query query, int timeoutMs = 10000);

    latch::v1::LoginResult lastLogin;
    QList<latch::v1::Envelope> skipped; // pushes received while waiting for a reply

private:
    // Waits for the envelope `isReply` accepts, keeping pushes that arrive first in `skipped`;
    // nullopt on time-out, close or an Error.
    std::optional<latch::v1::Envelope> awaitReply(
        const std::function<bool(const latch::v1::Envelope&)>& isReply, int timeoutMs);

    QWebSocket m_socket;
    QList<QByteArray> m_inbox;
    bool m_closed = false;
};
