#pragma once
// A piece of a declarative HTTP action (plugins.http: its URL, a header value or its body): text
// with placeholders that are filled from the case when the action is planned.
//
//   {case.<name>}    id, type, title, customer, order_ref, description, amount ("2400.00"),
//                    amount_minor ("240000"), currency, status, queue, assignee, requester,
//                    preparer, rule
//   {fields.<key>}   a free field of the case
//   {env.<NAME>}     an environment variable, read when the server starts: a secret
//
// A '{' that does not open a "{word." placeholder is plain text, so JSON bodies need no escaping.
// Parsing checks every placeholder (an unknown one is a config error); expanding escapes each
// value for where it lands (JSON string contents, URL percent-encoding, form encoding) and never
// writes a secret: its place holds "[redacted]" and is listed, so the run can put the value there.
//
// Pure: no I/O, no clock. Immutable once parsed; share freely between threads.
#include "latch.pb.h"
#include "latch/expected.h"

#include <cstddef>
#include <string>
#include <vector>

namespace latch::core {

// How an expanded value is written where it lands.
enum class TemplateEscape {
    None, // as is (header values: a value holding a line break is refused instead)
    Json, // the contents of a JSON string: quotes, backslashes and control characters escaped
    Form, // application/x-www-form-urlencoded
    Url, // percent-encoded: everything but A-Z a-z 0-9 - . _ ~
};

// Where a secret goes in an expanded text: "[redacted]" at `at` stands for env variable `env`.
struct SecretSpot {
    std::size_t at = 0;
    std::string env;
};

struct ExpandedText {
    std::string text; // secrets shown as "[redacted]"
    std::vector<SecretSpot> secrets; // in text order
};

class RequestTemplate {
public:
    struct Part {
        enum class Kind { Text, Case, Field, Env };
        Kind kind = Kind::Text;
        std::string text; // the literal text, or the variable's name ("amount", "iban", "ERP_KEY")
    };

    static constexpr const char* kRedacted = "[redacted]";

    // Fails (template.unknown_variable, template.bad_variable) with a sentence naming the
    // placeholder.
    static Expected<RequestTemplate> parse(const std::string& text);

    const std::vector<Part>& parts() const { return m_parts; }
    const std::string& source() const { return m_source; }
    bool empty() const { return m_source.empty(); }
    // The free fields and environment variables it uses, each once, in order of appearance.
    std::vector<std::string> fields() const;
    std::vector<std::string> envs() const;
    // Whether a placeholder comes before `offset` in the source (the URL's host must be literal).
    bool hasPlaceholderBefore(std::size_t offset) const;

    // Fills the placeholders from the case. A variable the case does not have (or has empty)
    // fails with code http.missing_field and a sentence naming it.
    Expected<ExpandedText> expand(const v1::Case& c, TemplateEscape escape) const;

    // A case variable's value ("" when the case has none); false for an unknown name.
    static bool caseValue(const v1::Case& c, const std::string& name, std::string& value);
    static std::string escape(const std::string& value, TemplateEscape how);

private:
    std::string m_source;
    std::vector<Part> m_parts;
};

} // namespace latch::core
