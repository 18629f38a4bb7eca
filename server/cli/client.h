#pragma once
// A small synchronous client for the Latch sync protocol: one WebSocket (ws or wss) carrying one
// protobuf Envelope per binary frame. latchctl and the end-to-end tests use it; it links only
// latch_shared, never the server's core.
//
// Every call blocks until the answer arrives or its time-out passes. Failures are values with a
// stable code: client.connect (cannot reach the server), client.tls (handshake or certificate),
// client.protocol (unexpected or malformed frames, a dropped connection), client.timeout, and the
// server's own codes (auth.invalid, approval.role, ...) passed through unchanged.
//
// Threading: a Client is used by one thread at a time; it owns its io_context and runs it only
// inside its own calls.
#include "latch.pb.h"
#include "latch/expected.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

namespace latch::cli {

using Done = Expected<std::monostate>;

struct ClientOptions {
    std::string caFile; // extra CA certificate (PEM) trusted besides the system store
    bool insecure = false; // wss without certificate verification (testing only)
    std::chrono::milliseconds connectTimeout { 10'000 };
    std::chrono::milliseconds requestTimeout { 30'000 };
};

// A parsed ws:// or wss:// address.
struct ServerUrl {
    bool tls = false;
    std::string host; // without IPv6 brackets
    std::string port;
    std::string target; // "/sync"
    std::string text; // as given, for messages
};

// Accepts "ws://host[:port][/path]" and "wss://..."; the default path is /sync, the default ports
// 80 and 443. Failure code: client.url.
Expected<ServerUrl> parseServerUrl(const std::string& url);

class Client {
public:
    explicit Client(ClientOptions options = {});
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Resolves, connects, TLS handshake (wss), WebSocket handshake; all within connectTimeout.
    Done connect(const std::string& url);
    bool connected() const;
    const ServerUrl& url() const { return m_url; }

    // Password login on a fresh connection. A refusal is a Failure with the server's code.
    Expected<v1::LoginResult> login(
        const std::string& username, const std::string& password, const std::string& device);

    // Opens the session. live=false: the server answers queries and commands only.
    Expected<v1::Welcome> hello(const std::string& token, bool live = false,
        std::uint64_t cursor = 0, const std::string& deviceId = {});

    // Sends the query with a fresh query_id and waits for its QueryResult. A result with ok=false
    // (not found, not visible, forbidden) is a Failure carrying the server's code and message.
    Expected<v1::QueryResult> query(v1::Query query);

    // Sends the command (making its command_id when empty) and waits for its CommandResult. A
    // rejected command is still a result (accepted=false, code, message): rejections are answers.
    Expected<v1::CommandResult> command(v1::Command command);

    // Ends the session's token on the server, then closes.
    Done logout();

    // The next envelope from the server. timeout zero waits for ever (watch). An Error envelope
    // is returned as a Failure with its code.
    Expected<v1::Envelope> readEnvelope(std::chrono::milliseconds timeout);

    Done send(const v1::Envelope& envelope);
    void close();

private:
    class Transport;
    template <typename Stream> class TransportImpl;

    Failure connectFailure(const std::string& what, const std::string& detail) const;
    Failure droppedFailure(const std::string& detail) const;
    Expected<v1::Envelope> request(
        const v1::Envelope& envelope, v1::Envelope::MsgCase answer, const std::string& id);

    ClientOptions m_options;
    ServerUrl m_url;
    std::unique_ptr<Transport> m_transport;
};

} // namespace latch::cli
