#include "core/yamlfields.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace latch::core {

namespace {

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

} // namespace

std::string keyPath(const std::string& path, const std::string& key)
{
    return path.empty() ? key : path + "." + key;
}

std::string indexPath(const std::string& path, std::size_t index)
{
    return path + "[" + std::to_string(index) + "]";
}

YamlFields::YamlFields(std::string fileName)
    : m_file(std::move(fileName))
{
}

void YamlFields::fail(const YAML::Node& at, const std::string& path, const std::string& what) const
{
    const int line = at.IsDefined() ? at.Mark().line + 1 : 0; // yaml-cpp counts from 0
    std::string where = m_file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
    throw ConfigInvalid { where + (path.empty() ? "" : path + ": ") + what };
}

void YamlFields::checkKeys(const YAML::Node& map, const std::string& path,
    std::initializer_list<const char*> allowed) const
{
    std::vector<std::string> allowedNames(allowed.begin(), allowed.end());
    if (!map.IsMap()) {
        fail(map, path, "must be a map with the keys " + joined(allowedNames));
    }
    std::vector<std::string> seen;
    for (const auto& kv : map) {
        if (!kv.first.IsScalar()) {
            fail(kv.first, path, "keys must be plain names; expected " + joined(allowedNames));
        }
        const std::string key = kv.first.Scalar();
        if (!contains(allowedNames, key)) {
            fail(kv.first, keyPath(path, key),
                "unknown key; expected one of " + joined(allowedNames));
        }
        if (contains(seen, key)) {
            fail(kv.first, keyPath(path, key), "is given twice; give it once");
        }
        seen.push_back(key);
    }
}

std::string YamlFields::text(
    const YAML::Node& node, const std::string& path, const std::string& expected) const
{
    if (!node.IsScalar() || node.Scalar().empty()) {
        fail(node, path, "must be " + expected);
    }
    return node.Scalar();
}

std::uint64_t YamlFields::whole(
    const YAML::Node& node, const std::string& path, std::uint64_t min, std::uint64_t max) const
{
    std::string expected = "must be a whole number of at least " + std::to_string(min);
    if (max != std::numeric_limits<std::uint64_t>::max()) {
        expected += " and at most " + std::to_string(max);
    }
    if (!node.IsScalar()) {
        fail(node, path, expected);
    }
    const std::string& s = node.Scalar();
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < min
        || value > max) {
        fail(node, path, expected + ", not \"" + s + "\"");
    }
    return value;
}

bool YamlFields::flag(const YAML::Node& node, const std::string& path) const
{
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
        return node.Scalar() == "true";
    }
    fail(node, path, "must be true or false");
}

// A list of names (roles, types, actions). Where `scalarAllowed`, a single name may stand alone.
std::vector<std::pair<std::string, YAML::Node>> YamlFields::names(const YAML::Node& node,
    const std::string& path, const std::string& noun, bool scalarAllowed) const
{
    std::vector<std::pair<std::string, YAML::Node>> out;
    if (scalarAllowed && node.IsScalar()) {
        out.emplace_back(text(node, path, "a " + noun), node);
        return out;
    }
    if (!node.IsSequence()) {
        fail(node, path, "must be a list of " + noun + "s, such as [a, b]");
    }
    std::size_t i = 0;
    for (const auto& item : node) {
        const std::string itemPath = indexPath(path, i++);
        std::string name = text(item, itemPath, "a non-empty " + noun);
        for (const auto& [earlier, earlierNode] : out) {
            if (earlier == name) {
                fail(item, itemPath, noun + " " + name + " is listed twice");
            }
        }
        out.emplace_back(std::move(name), item);
    }
    return out;
}

void YamlFields::requireRole(const YAML::Node& at, const std::string& path, const std::string& role,
    const std::vector<std::string>& roles) const
{
    if (!contains(roles, role)) {
        fail(at, path,
            "role " + role + " does not exist; the roles are " + joined(roles)
                + " (add it under roles)");
    }
}

} // namespace latch::core
