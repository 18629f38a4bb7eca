#pragma once
// One submission of a web form, checked field by field against the form's config: required
// fields present, lengths within max_length (and within what the case holds), an email that
// looks like one, an amount Latch can read in a currency the form offers, a select's value one
// of its options. Holds what the visitor sent (trimmed) so a refused form comes back filled in,
// a sentence per refused field, and, once valid, makes the intake command that opens the case.
//
// Threading: a value; no shared state.
#include "core/config.h"
#include "latch.pb.h"
#include "latch/money.h"

#include <map>
#include <string>
#include <string_view>

namespace latch::intake {

class FormSubmission {
public:
    // The name a field's currency choice is sent under.
    static std::string currencyName(const core::FormFieldConfig& field)
    {
        return field.name + "_currency";
    }

    // `values` by input name, as decoded (UTF-8 already checked); missing names are empty.
    static FormSubmission check(
        const core::FormConfig& form, std::map<std::string, std::string> values);
    // An empty submission: what a fresh page shows (an amount's first currency preset).
    static FormSubmission blank(const core::FormConfig& form);

    bool ok() const { return m_errors.empty(); }
    const std::map<std::string, std::string>& errors() const { return m_errors; }
    // The value as sent (trimmed), for the page; "" when none.
    std::string value(const std::string& name) const;
    // The value as the case shows it: an amount formatted ("2,400.00 USD"), others as sent.
    std::string display(const core::FormFieldConfig& field) const;

    // The case title: the form's case_title with {field} filled in, a field mapped to title,
    // or the form's title; on one line, within 200 bytes.
    std::string caseTitle() const;
    // What the timeline shows as the delivery's text: "Label: value" per field.
    std::string text() const;
    // The intake command for this (valid) submission: delivery key "form:<form>:<nonce>", the
    // case's facts from the mapped fields, and `body` kept as evidence as received.
    v1::Command command(
        const std::string& nonce, std::string_view body, std::size_t evidenceLimit) const;

private:
    explicit FormSubmission(const core::FormConfig& form)
        : m_form(&form)
    {
    }
    void checkField(const core::FormFieldConfig& field);

    const core::FormConfig* m_form;
    std::map<std::string, std::string> m_values;
    std::map<std::string, std::string> m_errors;
    std::map<std::string, Money> m_amounts;
};

} // namespace latch::intake
