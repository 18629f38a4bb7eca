#pragma once
// The plain values the fakes and their client exchange: an HTTP request as a fake received it,
// and a response as a handler builds it (or as HttpClient received it). No I/O here.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latch::fakes {

// Header fields in the order they were sent; names keep their spelling, lookups ignore case.
using Headers = std::vector<std::pair<std::string, std::string>>;

// ASCII case-insensitive comparison, as header names and auth schemes are compared.
bool equalsIgnoringCase(std::string_view a, std::string_view b);

// The first value of `name` (case-insensitive), nullopt when absent.
std::optional<std::string> findHeader(const Headers& headers, std::string_view name);

struct Request {
    std::string method; // "POST"
    std::string target; // "/v1/refunds?limit=3": path and query as sent
    Headers headers;
    std::string body;
    std::uint64_t connection = 0; // 1, 2, ... per accepted TCP connection: keep-alive reuses one

    std::string path() const; // target up to '?'
    std::string query() const; // after '?', "" when none
    std::optional<std::string> header(std::string_view name) const
    {
        return findHeader(headers, name);
    }
};

struct Response {
    unsigned status = 200;
    Headers headers;
    std::string body;

    std::optional<std::string> header(std::string_view name) const
    {
        return findHeader(headers, name);
    }
    // Replaces every field called `name` with one `name: value`.
    Response& setHeader(std::string name, std::string value);

    // `body` pretty-printed with two spaces, as Stripe and most JSON APIs send it.
    static Response json(unsigned status, const nlohmann::json& body);
    static Response json(unsigned status, const nlohmann::ordered_json& body); // keeps key order
    static Response text(unsigned status, std::string body); // text/plain; charset=utf-8
};

} // namespace latch::fakes
