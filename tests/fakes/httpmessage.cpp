#include "httpmessage.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace latch::fakes {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x))
            == std::tolower(static_cast<unsigned char>(y));
    });
}

std::optional<std::string> findHeader(const Headers& headers, std::string_view name)
{
    const auto it = std::find_if(headers.begin(), headers.end(),
        [&](const auto& field) { return equalsIgnoringCase(field.first, name); });
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

std::string Request::path() const
{
    return target.substr(0, target.find('?'));
}

std::string Request::query() const
{
    const auto mark = target.find('?');
    return mark == std::string::npos ? std::string() : target.substr(mark + 1);
}

Response& Response::setHeader(std::string name, std::string value)
{
    std::erase_if(
        headers, [&](const auto& field) { return equalsIgnoringCase(field.first, name); });
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

Response Response::json(unsigned status, const nlohmann::json& body)
{
    Response response;
    response.status = status;
    response.headers = { { "Content-Type", "application/json" } };
    response.body = body.dump(2);
    return response;
}

Response Response::json(unsigned status, const nlohmann::ordered_json& body)
{
    Response response;
    response.status = status;
    response.headers = { { "Content-Type", "application/json" } };
    response.body = body.dump(2);
    return response;
}

Response Response::text(unsigned status, std::string body)
{
    Response response;
    response.status = status;
    response.headers = { { "Content-Type", "text/plain; charset=utf-8" } };
    response.body = std::move(body);
    return response;
}

} // namespace latch::fakes
