#pragma once
// A deliberately primitive, blocking WebSocket client over QTcpSocket for what QWebSocket cannot
// do: stop reading on purpose (a slow consumer) and show the close code exactly as sent — Qt 6.4
// rejects the registered codes 1012-1014 as invalid and reports 1002 instead.
#include "latch.pb.h"

#include <QByteArray>
#include <QTcpSocket>

#include <optional>

class RawWsClient {
public:
    struct Frame {
        int opcode = 0; // 1 text, 2 binary, 8 close, 9 ping, 10 pong
        QByteArray payload;
    };

    // Connects and upgrades at /sync. The socket reads at most `readBuffer` bytes ahead, so
    // while nobody calls readFrame() the kernel buffers fill up and the server's writes stall.
    bool open(quint16 port, qint64 readBuffer = 4096);
    void sendFrame(int opcode, const QByteArray& payload);
    void send(const latch::v1::Envelope& envelope);
    bool flush(int timeoutMs = 10000);
    // The next frame (pings are answered and skipped); nullopt on timeout or end of stream.
    std::optional<Frame> readFrame(int timeoutMs = 10000);
    // The next binary frame parsed as an Envelope (nullopt for anything else).
    std::optional<latch::v1::Envelope> next(int timeoutMs = 10000);

    QString lastError() const { return m_error; }

private:
    bool fill(qsizetype bytes, int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QString m_error;
};
