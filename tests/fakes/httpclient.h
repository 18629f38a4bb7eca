#pragma once
// A small blocking HTTP/1.1 client (Boost.Beast) for tests and for the fakes' own outgoing calls
// (FakeStripe's webhooks). It keeps one connection open between requests, as a keep-alive
// client does, and reconnects when the server closed it. Plain http:// only.
//
// Threading: one thread at a time; each call runs a private io_context until the exchange ends
// or times out. It never retries: a dropped connection is reported as an error.
#include "httpmessage.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace latch::fakes {

// A response, or why there is none (`error` empty when a response arrived).
struct ClientResponse : Response {
    std::string error;
    bool received() const { return error.empty(); }
};

class HttpClient {
public:
    struct Url {
        std::string host;
        std::uint16_t port = 80;
        std::string target; // "/path?query", "/" when empty
    };
    // "http://host:port/path?query"; nullopt for anything else.
    static std::optional<Url> parseUrl(const std::string& url);

    HttpClient(std::string host, std::uint16_t port);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    ClientResponse request(const std::string& method, const std::string& target,
        const std::string& body = {}, const Headers& headers = {});
    ClientResponse get(const std::string& target, const Headers& headers = {})
    {
        return request("GET", target, {}, headers);
    }
    ClientResponse post(
        const std::string& target, const std::string& body, const Headers& headers = {})
    {
        return request("POST", target, body, headers);
    }
    // Closes the kept connection; the next request opens a new one.
    void disconnect();
    std::size_t connectionsOpened() const { return m_connectionsOpened; }

    // One request on a connection of its own, to an absolute URL.
    static ClientResponse send(const std::string& method, const std::string& url,
        const std::string& body, const Headers& headers,
        std::chrono::milliseconds timeout = std::chrono::seconds(5));

private:
    struct Connection;

    std::string m_host;
    std::uint16_t m_port;
    std::chrono::milliseconds m_timeout { 5000 };
    std::unique_ptr<Connection> m_connection;
    std::size_t m_connectionsOpened = 0;
};

} // namespace latch::fakes
