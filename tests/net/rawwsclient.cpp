#include "rawwsclient.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>

bool RawWsClient::open(quint16 port, qint64 readBuffer)
{
    m_socket.setReadBufferSize(readBuffer);
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!m_socket.waitForConnected(5000)) {
        m_error = m_socket.errorString();
        return false;
    }
    m_socket.write("GET /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n");
    if (!flush())
        return false;
    QDeadlineTimer deadline(10000);
    while (!m_buffer.contains("\r\n\r\n")) {
        if (deadline.hasExpired() || !m_socket.waitForReadyRead(int(deadline.remainingTime()))) {
            m_error = QStringLiteral("no upgrade response");
            return false;
        }
        m_buffer += m_socket.readAll();
    }
    const auto end = m_buffer.indexOf("\r\n\r\n") + 4;
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end);
    if (!head.startsWith("HTTP/1.1 101")) {
        m_error = QString::fromUtf8(head);
        return false;
    }
    return true;
}

void RawWsClient::sendFrame(int opcode, const QByteArray& payload)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode)); // FIN
    const qsizetype n = payload.size();
    if (n < 126) {
        frame.append(char(0x80 | n)); // clients always mask
    } else if (n < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(n >> 8)).append(char(n & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(n) >> shift) & 0xff));
    }
    const quint32 key = QRandomGenerator::global()->generate();
    const char mask[4] = {char(key >> 24), char(key >> 16), char(key >> 8), char(key)};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < n; ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    m_socket.write(frame);
}

void RawWsClient::send(const latch::v1::Envelope& envelope)
{
    const std::string bytes = envelope.SerializeAsString();
    sendFrame(2, QByteArray(bytes.data(), qsizetype(bytes.size())));
}

bool RawWsClient::flush(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.bytesToWrite() > 0) {
        if (deadline.hasExpired() || !m_socket.waitForBytesWritten(100)) {
            if (deadline.hasExpired()) {
                m_error = QStringLiteral("could not write: %1").arg(m_socket.errorString());
                return false;
            }
        }
    }
    return true;
}

bool RawWsClient::fill(qsizetype bytes, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_buffer.size() < bytes) {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(100)) {
            if (deadline.hasExpired() || m_socket.state() != QAbstractSocket::ConnectedState) {
                m_error = QStringLiteral("stream ended or timed out");
                return false;
            }
            continue;
        }
        m_buffer += m_socket.read(bytes - m_buffer.size() + 65536);
    }
    return true;
}

std::optional<RawWsClient::Frame> RawWsClient::readFrame(int timeoutMs)
{
    for (;;) {
        if (!fill(2, timeoutMs))
            return std::nullopt;
        const int opcode = quint8(m_buffer[0]) & 0x0f;
        quint64 length = quint8(m_buffer[1]) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (!fill(4, timeoutMs))
                return std::nullopt;
            length = (quint64(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
            header = 4;
        } else if (length == 127) {
            if (!fill(10, timeoutMs))
                return std::nullopt;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | quint8(m_buffer[2 + i]);
            header = 10;
        }
        if (!fill(header + qsizetype(length), timeoutMs))
            return std::nullopt;
        Frame frame{opcode, m_buffer.mid(header, qsizetype(length))};
        m_buffer.remove(0, header + qsizetype(length));
        if (opcode == 9) { // ping: answer and go on
            sendFrame(10, frame.payload);
            continue;
        }
        return frame;
    }
}

std::optional<latch::v1::Envelope> RawWsClient::next(int timeoutMs)
{
    auto frame = readFrame(timeoutMs);
    if (!frame || frame->opcode != 2) {
        if (frame)
            m_error = QStringLiteral("frame with opcode %1").arg(frame->opcode);
        return std::nullopt;
    }
    latch::v1::Envelope envelope;
    if (!envelope.ParseFromArray(frame->payload.constData(), int(frame->payload.size())))
        return std::nullopt;
    return envelope;
}
