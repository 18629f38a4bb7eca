#pragma once
// One WebSocket to latch-server carrying protobuf Envelopes, one per binary frame. Turns socket
// trouble into the app's error codes with a sentence a user can act on:
//   net.bad_url      the URL is not ws:// or wss://
//   net.unreachable  nothing answers at that address (refused, timed out, no such host)
//   net.tls          the server's certificate is not trusted (or TLS failed), or the CA file
//                    given with setCaFile() holds no certificate
//   net.closed       the server closed the connection (closeCode() says why)
//   protocol.malformed  the server sent something that is not an Envelope
//
// Threading: a QObject of the sync worker thread; not thread-safe.
#include "latch.pb.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace latch::app {

class WsConnection : public QObject {
    Q_OBJECT
public:
    explicit WsConnection(QObject* parent = nullptr);
    ~WsConnection() override;

    // A PEM file of certificate authorities to trust besides the system's (a company CA for an
    // internal server). Read at each open(); one holding no certificate fails it with net.tls.
    void setCaFile(const QString& path) { m_caFile = path; }
    // Checks the URL and starts connecting; connected() or failed() follows (within `timeoutMs`).
    void open(const QUrl& url, int timeoutMs = 10000);
    void close(); // a normal close; no failed() follows
    bool isOpen() const { return m_open; }
    void send(const v1::Envelope& envelope);
    int closeCode() const { return m_closeCode; }

    // A URL the user typed ("localhost:7443", "https://host") made into ws(s)://host:port/sync,
    // or an invalid QUrl when it cannot be.
    static QUrl normalizeUrl(const QString& text);

Q_SIGNALS:
    void connected();
    void received(const latch::v1::Envelope& envelope);
    // The connection could not be made or was lost. Emitted once per open().
    void failed(const QString& code, const QString& message);

private:
    void fail(const QString& code, const QString& message);

    QWebSocket m_socket;
    QTimer m_connectTimer;
    bool m_open = false;
    bool m_closing = false;
    bool m_failed = false;
    int m_closeCode = 0;
    QString m_tlsError;
    QString m_caFile;
};

} // namespace latch::app
