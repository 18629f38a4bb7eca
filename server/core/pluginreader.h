#pragma once
// Reads the config's plugins.slack map and plugins.http list, checking them against the roles
// already read: webhook variables, members, the case link, and each declarative HTTP action
// (its id, method, URL, headers, body templates, success criteria and signature). Refusals throw
// ConfigInvalid through YamlFields, naming the key. Used by one thread at a time.
#include "core/config.h"
#include "core/yamlfields.h"

#include <string>

namespace latch::core {

class PluginReader {
public:
    // Both must outlive the reader.
    PluginReader(const YamlFields& in, const Config& config);

    SlackPluginConfig readSlack(const YAML::Node& node) const;
    std::vector<HttpActionConfig> readHttp(const YAML::Node& node) const;

private:
    HttpActionConfig readHttpAction(const YAML::Node& node, const std::string& path) const;
    void readSuccess(const YAML::Node& node, const std::string& path, HttpSuccessConfig& out) const;
    std::vector<std::string> roles(const YAML::Node& node, const std::string& path) const;
    std::vector<std::string> types(const YAML::Node& node, const std::string& path) const;
    std::string envName(const YAML::Node& node, const std::string& path) const;
    void checkTemplate(
        const YAML::Node& node, const std::string& path, const std::string& text) const;

    const YamlFields& m_in;
    const Config& m_config;
};

} // namespace latch::core
