#pragma once
// Checked reads from a parsed YAML document, for the config loader. A read that finds the wrong
// shape throws ConfigInvalid carrying "<file>:<line>: <path>: <what is wrong and what is
// expected>"; parseConfig turns it into a Failure, so the exception never leaves the loader.
// Paths look like rules[0].requires.stages[1].approvals. Used by one thread at a time.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace latch::core {

struct ConfigInvalid {
    std::string message;
};

std::string keyPath(const std::string& path, const std::string& key); // "a.b"
std::string indexPath(const std::string& path, std::size_t index); // "a[3]"

class YamlFields {
public:
    explicit YamlFields(std::string fileName);

    const std::string& fileName() const { return m_file; }

    // Throws ConfigInvalid; `at` gives the line (none when it is undefined).
    [[noreturn]] void fail(
        const YAML::Node& at, const std::string& path, const std::string& what) const;

    // `map` must be a map whose keys are all in `allowed`, each given once: a misspelt key must
    // never be ignored, since ignoring it could loosen a rule.
    void checkKeys(const YAML::Node& map, const std::string& path,
        std::initializer_list<const char*> allowed) const;

    // A non-empty scalar; `expected` completes "must be ...".
    std::string text(
        const YAML::Node& node, const std::string& path, const std::string& expected) const;
    std::uint64_t whole(const YAML::Node& node, const std::string& path, std::uint64_t min,
        std::uint64_t max) const;
    bool flag(const YAML::Node& node, const std::string& path) const;

    // A list of distinct non-empty names (roles, types, actions), each with its node for later
    // messages. Where `scalarAllowed`, a single name may stand alone.
    std::vector<std::pair<std::string, YAML::Node>> names(const YAML::Node& node,
        const std::string& path, const std::string& noun, bool scalarAllowed) const;

    // `role` must be one of `roles`.
    void requireRole(const YAML::Node& at, const std::string& path, const std::string& role,
        const std::vector<std::string>& roles) const;

private:
    std::string m_file;
};

} // namespace latch::core
