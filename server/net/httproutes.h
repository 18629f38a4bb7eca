#pragma once
// The plain-HTTP answers of the server, free of any socket: health (/healthz), readiness
// (/readyz, 503 while stopping), and the error responses the HTTP session needs. The WebSocket
// upgrade itself is taken at kSyncPath by the HTTP session.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

namespace latch::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

inline constexpr std::string_view kSyncPath = "/sync";

// The target without its query string.
std::string_view requestPath(const HttpRequest& request);

HttpResponse textResponse(boost::beast::http::status status, unsigned version, bool keepAlive,
                          std::string body);

// The response to a request that is not a WebSocket upgrade.
HttpResponse route(const HttpRequest& request, bool ready);

} // namespace latch::net
