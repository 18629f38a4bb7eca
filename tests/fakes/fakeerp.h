#pragma once
// A stand-in for whatever JSON API an ERP plugin calls: tests register routes (method and path
// pattern to a canned answer or a function), everything else gets 404 with a JSON error, and
// every request is recorded (method, target with its query, headers, body) so a suite can check
// the URL a template produced, the headers sent and an HMAC signature over the body.
//
// Path patterns: literal segments, "{name}" for any one segment, and a final "*" for any rest
// ("/api/orders/{id}/refunds", "/hooks/*"). The route added last wins when several match.
// Threading and ownership: as FakeHttpServer.
#include "fakehttpserver.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace latch::fakes {

class FakeErp final : public FakeHttpServer {
public:
    using RouteHandler = std::function<Response(const Request&)>;

    FakeErp();
    ~FakeErp() override;

    void route(std::string method, std::string pathPattern, RouteHandler handler);
    void route(std::string method, std::string pathPattern, Response response);
    // A JSON answer; `body` null sends an empty body.
    void route(std::string method, std::string pathPattern, unsigned status,
        const nlohmann::json& body, Headers headers = {});
    void clearRoutes();

    // The recorded requests with this method (any when empty) whose path fits `pathPattern`.
    std::vector<RecordedRequest> requestsTo(
        std::string_view method, std::string_view pathPattern) const;
    static bool matches(std::string_view pathPattern, std::string_view path);

private:
    struct Route {
        std::string method;
        std::string pattern;
        RouteHandler handler;
    };

    Response handle(const Request& request) const;

    mutable std::mutex m_stateMutex;
    std::vector<Route> m_routes;
};

} // namespace latch::fakes
