#pragma once
// Reads one entry of the config's rules list into a Rule, checking it against the roles and queues
// already read: conditions (types, amount thresholds, fields), who must approve (one stage or
// several), the exclusions of the two-person rule, approval expiry and the gated actions.
// Refusals throw ConfigInvalid through YamlFields. Used by one thread at a time.
#include "core/config.h"
#include "core/yamlfields.h"

#include <map>
#include <string>

namespace latch::core {

class RuleReader {
public:
    // Both must outlive the reader.
    RuleReader(const YamlFields& in, const Config& config);

    Rule read(const YAML::Node& node, const std::string& path) const;

private:
    void readWhen(const YAML::Node& node, const std::string& path, RuleMatch& when) const;
    void readThresholds(const YAML::Node& node, const std::string& path,
        std::map<std::string, Money>& into, const RuleMatch& when) const;
    void readRequires(const YAML::Node& node, const std::string& path, Rule& rule) const;
    ApprovalStage readStage(const YAML::Node& node, const std::string& path, bool shorthand) const;

    const YamlFields& m_in;
    const Config& m_config;
};

} // namespace latch::core
