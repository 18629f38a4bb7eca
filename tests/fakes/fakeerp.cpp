#include "fakeerp.h"

namespace latch::fakes {

namespace {

// The next '/'-separated segment of `rest`, consumed.
std::string_view nextSegment(std::string_view& rest)
{
    if (!rest.empty() && rest.front() == '/')
        rest.remove_prefix(1);
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    return segment;
}

} // namespace

FakeErp::FakeErp()
    : FakeHttpServer([this](const Request& request) { return handle(request); })
{
}

FakeErp::~FakeErp()
{
    stop(); // the handler reads members below
}

void FakeErp::route(std::string method, std::string pathPattern, RouteHandler handler)
{
    std::lock_guard lock(m_stateMutex);
    m_routes.push_back({ std::move(method), std::move(pathPattern), std::move(handler) });
}

void FakeErp::route(std::string method, std::string pathPattern, Response response)
{
    route(std::move(method), std::move(pathPattern),
        [response = std::move(response)](const Request&) { return response; });
}

void FakeErp::route(std::string method, std::string pathPattern, unsigned status,
    const nlohmann::json& body, Headers headers)
{
    Response response;
    if (body.is_null()) {
        response.status = status;
    } else {
        response = Response::json(status, body);
    }
    for (auto& [name, value] : headers)
        response.setHeader(std::move(name), std::move(value));
    route(std::move(method), std::move(pathPattern), std::move(response));
}

void FakeErp::clearRoutes()
{
    std::lock_guard lock(m_stateMutex);
    m_routes.clear();
}

bool FakeErp::matches(std::string_view pathPattern, std::string_view path)
{
    std::string_view pattern = pathPattern;
    std::string_view rest = path;
    while (!pattern.empty()) {
        const auto want = nextSegment(pattern);
        if (want == "*" && pattern.empty())
            return true;
        if (rest.empty())
            return false;
        const auto have = nextSegment(rest);
        const bool placeholder = want.size() >= 2 && want.front() == '{' && want.back() == '}';
        if (placeholder ? have.empty() : have != want)
            return false;
    }
    return rest.empty();
}

std::vector<RecordedRequest> FakeErp::requestsTo(
    std::string_view method, std::string_view pathPattern) const
{
    std::vector<RecordedRequest> found;
    for (auto& request : requests())
        if ((method.empty() || request.method == method) && matches(pathPattern, request.path()))
            found.push_back(std::move(request));
    return found;
}

Response FakeErp::handle(const Request& request) const
{
    RouteHandler handler;
    {
        std::lock_guard lock(m_stateMutex);
        const auto path = request.path();
        for (auto it = m_routes.rbegin(); it != m_routes.rend(); ++it) {
            if (it->method == request.method && matches(it->pattern, path)) {
                handler = it->handler;
                break;
            }
        }
    }
    if (handler)
        return handler(request); // unlocked: a route may call back into this fake
    nlohmann::json error;
    error["error"] = "not_found";
    error["message"] = "no route for " + request.method + " " + request.path();
    return Response::json(404, error);
}

} // namespace latch::fakes
