#pragma once
// Reads the config's intake.forms list: each web form's page text, the type and queue its cases
// start with, the case title template and its fields (kind, limits, and where each value goes on
// the case), checked against what a case can hold so a form can never promise a value the core
// would refuse. Refusals throw ConfigInvalid through YamlFields, naming the key. Used by one
// thread at a time.
#include "core/config.h"
#include "core/yamlfields.h"

namespace latch::core {

// The names a case title template refers to, in order: "Refund: {customer}" -> {"customer"}.
// nullopt when a brace is not closed or a name is empty.
std::optional<std::vector<std::string>> templateNames(const std::string& text);

class FormReader {
public:
    // Both must outlive the reader; `config` has its queues read already.
    FormReader(const YamlFields& in, const Config& config);

    std::vector<FormConfig> readForms(const YAML::Node& node) const;

private:
    FormConfig readForm(const YAML::Node& node, const std::string& path) const;
    FormFieldConfig readField(const YAML::Node& node, const std::string& path) const;
    void checkMapping(
        const FormConfig& form, const YAML::Node& node, const std::string& path) const;

    const YamlFields& m_in;
    const Config& m_config;
};

} // namespace latch::core
