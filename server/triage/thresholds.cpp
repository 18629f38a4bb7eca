#include "triage/thresholds.h"

#include "triage/dataset.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace latch::triage {
namespace {

Failure invalid(const std::string& source, const std::string& what)
{
    return fail("triage.thresholds", source + ": " + what);
}

bool isThreshold(const nlohmann::json& value)
{
    if (!value.is_number()) {
        return false;
    }
    const double v = value.get<double>();
    return v >= 0.0 && v <= 1.0;
}

} // namespace

double Thresholds::forType(const std::string& type) const
{
    const auto it = byType.find(type);
    return it == byType.end() ? fallback : it->second;
}

Expected<Thresholds> parseThresholds(std::string_view json, const std::string& source)
{
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(json);
    } catch (const nlohmann::json::parse_error& e) {
        return invalid(source, "not valid JSON (" + std::string(e.what()) + ")");
    }
    if (!root.is_object()) {
        return invalid(source, R"(must be a JSON object with "default" and "types")");
    }
    Thresholds out;
    for (const auto& item : root.items()) {
        const std::string& key = item.key();
        const nlohmann::json& value = item.value();
        if (key == "default") {
            if (!isThreshold(value)) {
                return invalid(source, "\"default\" must be a number from 0 to 1");
            }
            out.fallback = value.get<double>();
        } else if (key == "types") {
            if (!value.is_object()) {
                return invalid(source, "\"types\" must map type names to numbers");
            }
            for (const auto& type : value.items()) {
                if (!isValidTypeName(type.key())) {
                    return invalid(source, "\"" + type.key() + "\" is not a type name");
                }
                if (!isThreshold(type.value())) {
                    return invalid(source,
                        "the threshold for \"" + type.key() + "\" must be a number from 0 to 1");
                }
                out.byType[type.key()] = type.value().get<double>();
            }
        } else if (key == "comment") {
            if (!value.is_string()) {
                return invalid(source, "\"comment\" must be a string");
            }
        } else {
            return invalid(source, "unknown key \"" + key + "\"; expected default, types, comment");
        }
    }
    return out;
}

Expected<Thresholds> loadThresholds(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail("triage.io", "Cannot read " + path + ": " + std::strerror(errno) + ".");
    }
    std::ostringstream content;
    content << in.rdbuf();
    return parseThresholds(content.str(), path);
}

} // namespace latch::triage
