#include "net/httproutes.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace latch::net {

namespace http = boost::beast::http;

std::string_view requestPath(const HttpRequest& request)
{
    const std::string_view target(request.target().data(), request.target().size());
    return target.substr(0, target.find('?'));
}

HttpResponse textResponse(http::status status, unsigned version, bool keepAlive, std::string body)
{
    HttpResponse response{status, version};
    response.set(http::field::server, "latch-server");
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(keepAlive);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

HttpResponse route(const HttpRequest& request, bool ready)
{
    const auto path = requestPath(request);
    const bool keepAlive = request.keep_alive();
    const bool health = path == "/healthz";
    const bool readiness = path == "/readyz";
    if (!health && !readiness) {
        return textResponse(http::status::not_found, request.version(), keepAlive,
                            "not found\n");
    }
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
        auto response = textResponse(http::status::method_not_allowed, request.version(),
                                     keepAlive, "use GET\n");
        response.set(http::field::allow, "GET, HEAD");
        return response;
    }
    HttpResponse response = health ? textResponse(http::status::ok, request.version(), keepAlive,
                                                  "ok\n")
        : ready ? textResponse(http::status::ok, request.version(), keepAlive, "ready\n")
                : textResponse(http::status::service_unavailable, request.version(), keepAlive,
                               "stopping\n");
    if (request.method() == http::verb::head) {
        // Keep the Content-Length of the GET answer, send no body.
        const auto length = response.body().size();
        response.body().clear();
        response.content_length(length);
    }
    return response;
}

} // namespace latch::net
