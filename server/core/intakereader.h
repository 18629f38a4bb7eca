#pragma once
// Reads the config's intake and triage maps: the intake sources (each with its channel, its own
// token or HMAC secret by environment variable, and the type and queue its cases start with), the
// body and attachment limits, the web forms (core/formreader.h), and triage's model, starter set
// and optional LLM endpoint. Refusals throw ConfigInvalid through YamlFields, naming the key.
// Used by one thread at a time.
#include "core/config.h"
#include "core/yamlfields.h"

namespace latch::core {

class IntakeReader {
public:
    // Both must outlive the reader; `config` has its roles and queues read already.
    IntakeReader(const YamlFields& in, const Config& config);

    IntakeConfig readIntake(const YAML::Node& node) const;
    TriageConfig readTriage(const YAML::Node& node) const;

private:
    IntakeSourceConfig readSource(const YAML::Node& node, const std::string& path) const;

    const YamlFields& m_in;
    const Config& m_config;
};

} // namespace latch::core
