#pragma once
// One blocking HTTP(S) call over libcurl, for plugins: method, URL, headers and body out; status,
// headers and body back, or a transport error saying how far the call got. Certificates are
// verified against the system's authorities. No retries here: RetryPolicy decides those.
//
// Threading: each call uses its own curl handle; call from any worker thread.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace latch::plugins {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout { 10000 };
};

struct HttpResponse {
    // Transport outcome. Connect: nothing reached the server (safe to send again). Sent: the
    // request may have reached it and no answer came (a time-out, a dropped connection): whether
    // it acted is unknown.
    enum class Transport { Ok, Connect, Sent };
    Transport transport = Transport::Ok;
    std::string error; // curl's sentence when transport != Ok
    bool timedOut = false; // the call ran out of `timeout` (transport is then Sent)
    int status = 0;
    std::map<std::string, std::string> headers; // names lower-cased
    std::string body;

    bool ok() const { return transport == Transport::Ok; }
    std::string header(const std::string& lowerName) const;
};

HttpResponse httpCall(const HttpRequest& request);

// application/x-www-form-urlencoded, in the order given.
std::string formEncode(const std::vector<std::pair<std::string, std::string>>& params);

} // namespace latch::plugins
