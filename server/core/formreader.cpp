#include "core/formreader.h"

#include <algorithm>
#include <regex>

namespace latch::core {

namespace {

// What a case holds (core/commands.cpp refuses more), so no form can take a longer value.
constexpr std::size_t kMaxShort = 200; // title, customer, order_ref
constexpr std::size_t kMaxText = 10'000; // description
constexpr std::size_t kMaxFieldValue = 1000;
constexpr std::size_t kMaxUnmapped = 10'000; // only in the delivery's text

bool validFormName(const std::string& name)
{
    static const std::regex pattern("[a-z0-9][a-z0-9-]{0,63}");
    return std::regex_match(name, pattern);
}

bool validFieldName(const std::string& name)
{
    static const std::regex pattern("[a-z][a-z0-9_]{0,63}");
    return std::regex_match(name, pattern) && name.rfind("latch_", 0) != 0;
}

bool validFreeKey(const std::string& key)
{
    static const std::regex pattern("[a-z][a-z0-9_.-]{0,63}");
    return std::regex_match(key, pattern);
}

std::size_t targetLimit(const std::string& mapsTo)
{
    if (mapsTo == "title" || mapsTo == "customer" || mapsTo == "order_ref")
        return kMaxShort;
    if (mapsTo == "description")
        return kMaxText;
    if (mapsTo.rfind("field.", 0) == 0)
        return kMaxFieldValue;
    return kMaxUnmapped;
}

std::size_t defaultLength(FormFieldKind kind)
{
    switch (kind) {
    case FormFieldKind::Textarea:
        return 5000;
    case FormFieldKind::Email:
        return 254;
    case FormFieldKind::Amount:
        return 32;
    case FormFieldKind::Text:
    case FormFieldKind::Select:
        break;
    }
    return 200;
}

} // namespace

std::optional<std::vector<std::string>> templateNames(const std::string& text)
{
    std::vector<std::string> names;
    std::size_t at = 0;
    while ((at = text.find_first_of("{}", at)) != std::string::npos) {
        if (text[at] == '}')
            return std::nullopt;
        const auto close = text.find('}', at);
        if (close == std::string::npos || close == at + 1)
            return std::nullopt;
        std::string name = text.substr(at + 1, close - at - 1);
        if (name.find('{') != std::string::npos)
            return std::nullopt;
        names.push_back(std::move(name));
        at = close + 1;
    }
    return names;
}

const FormConfig* IntakeConfig::form(const std::string& name) const
{
    for (const auto& f : forms) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

const FormFieldConfig* FormConfig::field(const std::string& name) const
{
    for (const auto& f : fields) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

FormReader::FormReader(const YamlFields& in, const Config& config)
    : m_in(in)
    , m_config(config)
{
}

std::vector<FormConfig> FormReader::readForms(const YAML::Node& node) const
{
    std::vector<FormConfig> forms;
    if (!node || node.IsNull())
        return forms;
    if (!node.IsSequence())
        m_in.fail(node, "intake.forms", "must be a list of forms, each starting with - name: ...");
    std::size_t i = 0;
    for (const auto& item : node) {
        const std::string path = indexPath("intake.forms", i++);
        FormConfig form = readForm(item, path);
        for (const auto& earlier : forms) {
            if (earlier.name == form.name)
                m_in.fail(item["name"], keyPath(path, "name"),
                    "form " + form.name + " is already defined on line "
                        + std::to_string(earlier.line) + "; form names must be unique");
        }
        forms.push_back(std::move(form));
    }
    return forms;
}

FormConfig FormReader::readForm(const YAML::Node& node, const std::string& path) const
{
    if (!node.IsMap())
        m_in.fail(node, path, "must be a map with name, title and fields");
    m_in.checkKeys(node, path,
        { "name", "enabled", "title", "intro", "legend", "submit_label", "type", "queue",
            "case_title", "fields", "min_fill_seconds", "max_per_minute" });
    FormConfig form;
    form.line = int(node.Mark().line) + 1;
    form.name = m_in.text(node["name"], keyPath(path, "name"), "the form's name");
    if (!validFormName(form.name))
        m_in.fail(node["name"], keyPath(path, "name"),
            "must be 1 to 64 lower-case letters, digits or '-' (it is the page's address, "
            "/forms/<name>)");
    if (const YAML::Node value = node["enabled"])
        form.enabled = m_in.flag(value, keyPath(path, "enabled"));
    form.title = m_in.text(node["title"], keyPath(path, "title"), "the page's heading");
    if (const YAML::Node value = node["intro"])
        form.intro = m_in.text(value, keyPath(path, "intro"), "a paragraph of text");
    if (const YAML::Node value = node["legend"])
        form.legend = m_in.text(value, keyPath(path, "legend"), "the fields' caption");
    if (const YAML::Node value = node["submit_label"])
        form.submitLabel = m_in.text(value, keyPath(path, "submit_label"), "the button's text");
    if (const YAML::Node value = node["type"]) {
        form.type = m_in.text(value, keyPath(path, "type"), "a case type");
        if (form.type.size() > 64)
            m_in.fail(value, keyPath(path, "type"), "must be at most 64 characters");
    }
    if (const YAML::Node value = node["queue"]) {
        form.queue = m_in.text(value, keyPath(path, "queue"), "the name of a queue");
        if (!m_config.queue(form.queue))
            m_in.fail(value, keyPath(path, "queue"),
                "queue " + form.queue + " is not defined under queues");
    }
    if (const YAML::Node value = node["min_fill_seconds"])
        form.minFillSeconds
            = std::uint32_t(m_in.whole(value, keyPath(path, "min_fill_seconds"), 0, 600));
    if (const YAML::Node value = node["max_per_minute"])
        form.maxPerMinute
            = std::uint32_t(m_in.whole(value, keyPath(path, "max_per_minute"), 1, 10000));

    const YAML::Node fields = node["fields"];
    const std::string fieldsPath = keyPath(path, "fields");
    if (!fields || !fields.IsSequence() || fields.size() == 0)
        m_in.fail(fields ? fields : node, fieldsPath,
            "must be a list of at least one field, each starting with - name: ...");
    std::size_t i = 0;
    for (const auto& item : fields) {
        const std::string fieldPath = indexPath(fieldsPath, i++);
        FormFieldConfig field = readField(item, fieldPath);
        for (const auto& earlier : form.fields) {
            const bool clash = earlier.name == field.name
                || (earlier.kind == FormFieldKind::Amount
                    && field.name == earlier.name + "_currency")
                || (field.kind == FormFieldKind::Amount
                    && earlier.name == field.name + "_currency");
            if (clash)
                m_in.fail(item["name"], keyPath(fieldPath, "name"),
                    "field " + field.name + " clashes with the field on line "
                        + std::to_string(earlier.line)
                        + "; field names must be unique (an amount's currency is sent as "
                          "<name>_currency)");
        }
        form.fields.push_back(std::move(field));
    }
    if (const YAML::Node value = node["case_title"])
        form.caseTitle = m_in.text(value, keyPath(path, "case_title"),
            "a title template such as \"Refund request: {customer}\"");
    checkMapping(form, node, path);
    return form;
}

FormFieldConfig FormReader::readField(const YAML::Node& node, const std::string& path) const
{
    if (!node.IsMap())
        m_in.fail(node, path, "must be a map with name, label and kind");
    m_in.checkKeys(node, path,
        { "name", "label", "hint", "kind", "required", "max_length", "maps_to", "options",
            "currencies", "currency" });
    FormFieldConfig field;
    field.line = int(node.Mark().line) + 1;
    field.name = m_in.text(node["name"], keyPath(path, "name"), "the input's name");
    if (!validFieldName(field.name))
        m_in.fail(node["name"], keyPath(path, "name"),
            "must be a lower-case letter, then up to 63 lower-case letters, digits or '_', "
            "and not start with latch_ (those names are the form's own)");
    field.label = m_in.text(node["label"], keyPath(path, "label"), "the text shown for the field");
    if (const YAML::Node value = node["hint"])
        field.hint = m_in.text(value, keyPath(path, "hint"), "a line of help");
    const std::string kind = node["kind"]
        ? m_in.text(node["kind"], keyPath(path, "kind"), "text, textarea, email, amount or select")
        : std::string("text");
    if (kind == "text")
        field.kind = FormFieldKind::Text;
    else if (kind == "textarea")
        field.kind = FormFieldKind::Textarea;
    else if (kind == "email")
        field.kind = FormFieldKind::Email;
    else if (kind == "amount")
        field.kind = FormFieldKind::Amount;
    else if (kind == "select")
        field.kind = FormFieldKind::Select;
    else
        m_in.fail(node["kind"], keyPath(path, "kind"),
            "is '" + kind + "'; expected one of text, textarea, email, amount, select");
    if (const YAML::Node value = node["required"])
        field.required = m_in.flag(value, keyPath(path, "required"));
    if (const YAML::Node value = node["maps_to"]) {
        field.mapsTo = m_in.text(value, keyPath(path, "maps_to"),
            "title, description, customer, order_ref, amount or field.<key>");
        const bool free = field.mapsTo.rfind("field.", 0) == 0;
        const bool known = field.mapsTo == "title" || field.mapsTo == "description"
            || field.mapsTo == "customer" || field.mapsTo == "order_ref"
            || field.mapsTo == "amount";
        if (!known && !free)
            m_in.fail(value, keyPath(path, "maps_to"),
                "is '" + field.mapsTo
                    + "'; expected title, description, customer, order_ref, amount or "
                      "field.<key>");
        if (free && !validFreeKey(field.mapsTo.substr(6)))
            m_in.fail(value, keyPath(path, "maps_to"),
                "field.<key>: the key must be a lower-case letter, then up to 63 lower-case "
                "letters, digits, '_', '.' or '-'");
        if (field.mapsTo == "amount" && field.kind != FormFieldKind::Amount)
            m_in.fail(value, keyPath(path, "maps_to"), "amount takes a field of kind amount");
    }
    if (field.kind == FormFieldKind::Amount && field.mapsTo.empty())
        field.mapsTo = "amount";
    if (field.kind == FormFieldKind::Amount && field.mapsTo != "amount"
        && field.mapsTo.rfind("field.", 0) != 0)
        m_in.fail(node["maps_to"], keyPath(path, "maps_to"),
            "an amount goes to amount or to a field.<key>");

    const std::size_t limit = field.kind == FormFieldKind::Amount ? 32 : targetLimit(field.mapsTo);
    field.maxLength = std::min(defaultLength(field.kind), limit);
    if (const YAML::Node value = node["max_length"]) {
        if (field.kind == FormFieldKind::Select || field.kind == FormFieldKind::Amount)
            m_in.fail(value, keyPath(path, "max_length"),
                "is not for a select or an amount (their values are checked otherwise)");
        field.maxLength = m_in.whole(value, keyPath(path, "max_length"), 1, limit);
    }

    const YAML::Node options = node["options"];
    if (field.kind == FormFieldKind::Select) {
        if (!options || !options.IsSequence() || options.size() == 0)
            m_in.fail(options ? options : node, keyPath(path, "options"),
                "a select needs a list of at least one option");
        std::size_t i = 0;
        for (const auto& option : options) {
            const std::string optionPath = indexPath(keyPath(path, "options"), i++);
            std::string text = m_in.text(option, optionPath, "the option's text");
            if (text.size() > limit)
                m_in.fail(option, optionPath,
                    "is longer than the " + std::to_string(limit) + " characters "
                        + (field.mapsTo.empty() ? std::string("allowed")
                                                : field.mapsTo + " holds"));
            if (std::find(field.options.begin(), field.options.end(), text) != field.options.end())
                m_in.fail(option, optionPath, "'" + text + "' is listed twice");
            field.options.push_back(std::move(text));
        }
    } else if (options) {
        m_in.fail(options, keyPath(path, "options"), "is only for a field of kind select");
    }

    const YAML::Node currencies = node["currencies"];
    const YAML::Node currency = node["currency"];
    if (field.kind != FormFieldKind::Amount) {
        if (currencies || currency)
            m_in.fail(currencies ? currencies : currency,
                keyPath(path, currencies ? "currencies" : "currency"),
                "is only for a field of kind amount");
        return field;
    }
    if (bool(currencies) == bool(currency))
        m_in.fail(currencies ? currencies : node, path,
            "an amount field needs either currency (always that one) or currencies (the "
            "visitor picks)");
    const auto checkCode = [&](const YAML::Node& at, const std::string& at_path) {
        std::string code = m_in.text(at, at_path, "an ISO 4217 currency code such as USD");
        if (currencyExponent(code) < 0)
            m_in.fail(at, at_path, "'" + code + "' is not an ISO 4217 currency code Latch knows");
        return code;
    };
    if (currency) {
        field.currency = checkCode(currency, keyPath(path, "currency"));
    } else {
        if (!currencies.IsSequence() || currencies.size() == 0)
            m_in.fail(currencies, keyPath(path, "currencies"),
                "must be a list of at least one currency code");
        std::size_t i = 0;
        for (const auto& code : currencies) {
            const std::string codePath = indexPath(keyPath(path, "currencies"), i++);
            std::string c = checkCode(code, codePath);
            if (std::find(field.currencies.begin(), field.currencies.end(), c)
                != field.currencies.end())
                m_in.fail(code, codePath, c + " is listed twice");
            field.currencies.push_back(std::move(c));
        }
    }
    return field;
}

void FormReader::checkMapping(
    const FormConfig& form, const YAML::Node& node, const std::string& path) const
{
    const YAML::Node fields = node["fields"];
    std::size_t i = 0;
    for (const auto& field : form.fields) {
        const YAML::Node at = fields[i];
        const std::string fieldPath = indexPath(keyPath(path, "fields"), i++);
        if (field.mapsTo.empty())
            continue;
        for (const auto& earlier : form.fields) {
            if (&earlier == &field)
                break;
            if (earlier.mapsTo == field.mapsTo)
                m_in.fail(at["maps_to"], keyPath(fieldPath, "maps_to"),
                    field.mapsTo + " is already filled by field " + earlier.name + " (line "
                        + std::to_string(earlier.line) + ")");
        }
    }
    const bool titleField = std::any_of(
        form.fields.begin(), form.fields.end(), [](const auto& f) { return f.mapsTo == "title"; });
    if (form.caseTitle.empty())
        return;
    if (titleField)
        m_in.fail(node["case_title"], keyPath(path, "case_title"),
            "a field already maps_to: title; give either case_title or that field");
    const auto names = templateNames(form.caseTitle);
    if (!names)
        m_in.fail(node["case_title"], keyPath(path, "case_title"),
            "every { must close with } around a field's name, as in \"Refund: {customer}\"");
    for (const auto& name : *names) {
        if (!form.field(name))
            m_in.fail(node["case_title"], keyPath(path, "case_title"),
                "{" + name + "} names no field of this form");
    }
}

} // namespace latch::core
