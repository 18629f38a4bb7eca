#include "core/pluginreader.h"

#include "core/requesttemplate.h"

#include <algorithm>
#include <array>
#include <regex>

namespace latch::core {

namespace {

// Plugin names the server's own plugins use; a declarative action may not take them.
constexpr std::array<const char*, 2> kBuiltIns { "stripe", "slack" };

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.rfind(prefix, 0) == 0;
}

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
        [](unsigned char ch) { return char(std::toupper(ch)); });
    return text;
}

std::string quoted(const std::string& text)
{
    return "\"" + text + "\"";
}

bool equalsIgnoringCase(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && upper(a) == upper(b);
}

} // namespace

PluginReader::PluginReader(const YamlFields& in, const Config& config)
    : m_in(in)
    , m_config(config)
{
}

std::vector<std::string> PluginReader::roles(const YAML::Node& node, const std::string& path) const
{
    std::vector<std::string> out;
    for (auto& [role, at] : m_in.names(node, path, "role", true)) {
        m_in.requireRole(at, path, role, m_config.roles);
        out.push_back(role);
    }
    return out;
}

std::vector<std::string> PluginReader::types(const YAML::Node& node, const std::string& path) const
{
    std::vector<std::string> out;
    for (auto& [type, at] : m_in.names(node, path, "case type", true))
        out.push_back(type);
    return out;
}

std::string PluginReader::envName(const YAML::Node& node, const std::string& path) const
{
    static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
    std::string name = m_in.text(node, path, "the name of an environment variable");
    if (!std::regex_match(name, pattern))
        m_in.fail(node, path,
            "\"" + name
                + "\" is not an environment variable name (letters, digits and _); name "
                  "the variable that holds the secret, never the secret itself");
    return name;
}

void PluginReader::checkTemplate(
    const YAML::Node& node, const std::string& path, const std::string& text) const
{
    const auto parsed = RequestTemplate::parse(text);
    if (!parsed)
        m_in.fail(node, path, parsed.failure().message);
}

SlackPluginConfig PluginReader::readSlack(const YAML::Node& node) const
{
    const std::string path = "plugins.slack";
    m_in.checkKeys(node, path,
        { "enabled", "webhook_url_env", "roles", "case_types", "case_url_template", "members",
            "notify", "timeout_ms", "max_attempts", "retry_base_ms" });
    SlackPluginConfig slack;
    if (const YAML::Node value = node["enabled"])
        slack.enabled = m_in.flag(value, path + ".enabled");
    if (const YAML::Node value = node["webhook_url_env"])
        slack.webhookUrlEnv = envName(value, path + ".webhook_url_env");
    if (const YAML::Node value = node["roles"])
        slack.roles = roles(value, path + ".roles");
    if (const YAML::Node value = node["case_types"])
        slack.caseTypes = types(value, path + ".case_types");
    if (const YAML::Node value = node["case_url_template"]) {
        static const std::regex scheme("[a-z][a-z0-9+.-]*://[^<>|\\s]+");
        const std::string key = path + ".case_url_template";
        slack.caseUrlTemplate = m_in.text(value, key, "a URL with {id}, such as latch://case/{id}");
        if (!std::regex_match(slack.caseUrlTemplate, scheme))
            m_in.fail(value, key,
                "must be a URL such as latch://case/{id} or https://latch.example/case/{id}, "
                "without spaces, <, > or |");
        if (slack.caseUrlTemplate.find("{id}") == std::string::npos)
            m_in.fail(value, key, "must contain {id}, where the case id goes");
    }
    if (const YAML::Node value = node["members"]) {
        static const std::regex memberId("[UW][A-Z0-9]{2,}");
        const std::string key = path + ".members";
        if (!value.IsMap())
            m_in.fail(value, key, "must be a map of Latch user name to Slack member id (U...)");
        for (const auto& kv : value) {
            const std::string user = m_in.text(kv.first, key, "a Latch user name");
            const std::string at = keyPath(key, user);
            const std::string id = m_in.text(kv.second, at, "a Slack member id");
            if (!std::regex_match(id, memberId))
                m_in.fail(kv.second, at,
                    quoted(id)
                        + " is not a Slack member id; copy it from the person's Slack profile "
                          "(Copy member ID), e.g. U012AB3CD");
            if (slack.members.count(user) != 0)
                m_in.fail(kv.first, at, "is given twice; give it once");
            slack.members[user] = id;
        }
    }
    if (const YAML::Node notify = node["notify"]) {
        const std::string key = path + ".notify";
        m_in.checkKeys(notify, key, { "approval_waiting", "webhook_url_env", "case_types" });
        if (const YAML::Node value = notify["approval_waiting"])
            slack.notify.approvalWaiting = m_in.flag(value, key + ".approval_waiting");
        if (const YAML::Node value = notify["webhook_url_env"])
            slack.notify.webhookUrlEnv = envName(value, key + ".webhook_url_env");
        if (const YAML::Node value = notify["case_types"])
            slack.notify.caseTypes = types(value, key + ".case_types");
    }
    if (const YAML::Node value = node["timeout_ms"])
        slack.timeout
            = std::chrono::milliseconds(m_in.whole(value, path + ".timeout_ms", 100, 300000));
    if (const YAML::Node value = node["max_attempts"])
        slack.maxAttempts = std::uint32_t(m_in.whole(value, path + ".max_attempts", 1, 20));
    if (const YAML::Node value = node["retry_base_ms"])
        slack.retryBase
            = std::chrono::milliseconds(m_in.whole(value, path + ".retry_base_ms", 1, 60000));
    return slack;
}

std::vector<HttpActionConfig> PluginReader::readHttp(const YAML::Node& node) const
{
    std::vector<HttpActionConfig> out;
    if (node.IsNull())
        return out;
    if (!node.IsSequence())
        m_in.fail(node, "plugins.http", "must be a list of actions, each starting with - id: ...");
    std::size_t i = 0;
    for (const auto& item : node) {
        const std::string path = indexPath("plugins.http", i++);
        HttpActionConfig action = readHttpAction(item, path);
        for (const auto& earlier : out) {
            if (earlier.id == action.id)
                m_in.fail(item["id"], path + ".id",
                    "action " + action.id + " is already defined on line "
                        + std::to_string(earlier.line) + "; action ids must be unique");
        }
        out.push_back(std::move(action));
    }
    return out;
}

HttpActionConfig PluginReader::readHttpAction(const YAML::Node& node, const std::string& path) const
{
    m_in.checkKeys(node, path,
        { "id", "label", "case_types", "roles", "method", "url", "headers", "body", "success",
            "hmac", "idempotency_header", "timeout_ms", "max_attempts", "retry_base_ms" });
    HttpActionConfig a;
    a.line = node.Mark().line + 1;

    static const std::regex idPattern("[a-z][a-z0-9_-]*\\.[a-z][a-z0-9_.-]*");
    if (!node["id"])
        m_in.fail(node, path + ".id", "is missing; name the action, such as erp.update_vendor");
    a.id = m_in.text(node["id"], path + ".id", "an action id such as erp.update_vendor");
    if (!std::regex_match(a.id, idPattern))
        m_in.fail(node["id"], path + ".id",
            "\"" + a.id
                + "\" must be <plugin>.<action> in lower case letters, digits, _ or -, such as "
                  "erp.update_vendor");
    const std::string plugin = a.id.substr(0, a.id.find('.'));
    for (const char* builtIn : kBuiltIns) {
        if (plugin == builtIn)
            m_in.fail(node["id"], path + ".id",
                "\"" + a.id + "\" would belong to the built-in " + plugin
                    + " plugin; choose another prefix, such as erp.");
    }
    a.label = a.id;
    if (const YAML::Node value = node["label"])
        a.label = m_in.text(value, path + ".label", "a short description for people");
    if (const YAML::Node value = node["case_types"])
        a.caseTypes = types(value, path + ".case_types");
    if (const YAML::Node value = node["roles"])
        a.roles = roles(value, path + ".roles");
    if (const YAML::Node value = node["method"]) {
        a.method = upper(m_in.text(value, path + ".method", "GET, POST, PUT, PATCH or DELETE"));
        if (a.method != "GET" && a.method != "POST" && a.method != "PUT" && a.method != "PATCH"
            && a.method != "DELETE")
            m_in.fail(value, path + ".method",
                "must be GET, POST, PUT, PATCH or DELETE, not \"" + value.Scalar() + "\"");
    }

    if (!node["url"])
        m_in.fail(node, path + ".url", "is missing; give the URL to call");
    a.url = m_in.text(node["url"], path + ".url", "an http(s) URL");
    checkTemplate(node["url"], path + ".url", a.url);
    {
        // The host is fixed in the config: no case value or variable can send the call elsewhere.
        const std::size_t scheme = startsWith(a.url, "https://") ? 8
            : startsWith(a.url, "http://")                       ? 7
                                                                 : 0;
        if (scheme == 0)
            m_in.fail(node["url"], path + ".url",
                "must start with https:// (or http:// for a test), not \"" + a.url + "\"");
        const std::size_t hostEnd = a.url.find_first_of("/?#", scheme);
        const auto parsed = RequestTemplate::parse(a.url);
        if (hostEnd == scheme
            || parsed->hasPlaceholderBefore(hostEnd == std::string::npos ? a.url.size() : hostEnd))
            m_in.fail(node["url"], path + ".url",
                "the scheme and host must be written out; placeholders may only follow them");
    }

    if (const YAML::Node headers = node["headers"]) {
        static const std::regex token("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
        const std::string key = path + ".headers";
        if (!headers.IsMap())
            m_in.fail(headers, key, "must be a map of header name to value");
        for (const auto& kv : headers) {
            const std::string name = m_in.text(kv.first, key, "a header name");
            const std::string at = keyPath(key, name);
            if (!std::regex_match(name, token))
                m_in.fail(kv.first, at, quoted(name) + " is not a valid header name");
            for (const auto& [earlier, value] : a.headers) {
                if (equalsIgnoringCase(earlier, name))
                    m_in.fail(kv.first, at, "is given twice; give it once");
            }
            const std::string value = m_in.text(kv.second, at, "the header's value");
            if (value.find_first_of("\r\n") != std::string::npos)
                m_in.fail(kv.second, at, "must be one line");
            checkTemplate(kv.second, at, value);
            a.headers.emplace_back(name, value);
        }
    }
    std::string contentType;
    for (const auto& [name, value] : a.headers) {
        if (equalsIgnoringCase(name, "Content-Type"))
            contentType = value;
    }
    if (const YAML::Node value = node["body"]) {
        a.body = m_in.text(value, path + ".body", "the request body (a template)");
        checkTemplate(value, path + ".body", a.body);
        if (contentType.empty())
            m_in.fail(value, path + ".body",
                "needs a Content-Type header (application/json, "
                "application/x-www-form-urlencoded, ...) so values are escaped for it");
        if (contentType.find('{') != std::string::npos)
            m_in.fail(value, path + ".headers.Content-Type",
                "must be written out; it decides how values in the body are escaped");
    }
    if (const YAML::Node value = node["idempotency_header"]) {
        a.idempotencyHeader = m_in.text(value, path + ".idempotency_header", "a header name");
        static const std::regex token("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
        if (!std::regex_match(a.idempotencyHeader, token))
            m_in.fail(value, path + ".idempotency_header",
                "\"" + a.idempotencyHeader + "\" is not a valid header name");
    }
    if (const YAML::Node success = node["success"])
        readSuccess(success, path + ".success", a.success);
    if (const YAML::Node hmac = node["hmac"]) {
        const std::string key = path + ".hmac";
        m_in.checkKeys(hmac, key, { "secret_env", "header", "algorithm" });
        if (!hmac["secret_env"] || !hmac["header"])
            m_in.fail(hmac, key, "needs secret_env (the variable holding the key) and header");
        a.hmacSecretEnv = envName(hmac["secret_env"], key + ".secret_env");
        a.hmacHeader = m_in.text(hmac["header"], key + ".header", "a header name");
        if (const YAML::Node value = hmac["algorithm"]) {
            a.hmacAlgorithm = m_in.text(value, key + ".algorithm", "sha256 or sha512");
            if (a.hmacAlgorithm != "sha256" && a.hmacAlgorithm != "sha512")
                m_in.fail(value, key + ".algorithm",
                    "must be sha256 or sha512, not \"" + a.hmacAlgorithm + "\"");
        }
    }
    // Headers Latch sets itself cannot also be set by hand.
    for (const auto& [name, value] : a.headers) {
        if (equalsIgnoringCase(name, a.idempotencyHeader)
            || (!a.hmacHeader.empty() && equalsIgnoringCase(name, a.hmacHeader)))
            m_in.fail(node["headers"][name], keyPath(path + ".headers", name),
                "is set by Latch (the run's idempotency key or the body's signature); remove it");
    }
    if (const YAML::Node value = node["timeout_ms"])
        a.timeout = std::chrono::milliseconds(m_in.whole(value, path + ".timeout_ms", 100, 300000));
    if (const YAML::Node value = node["max_attempts"])
        a.maxAttempts = std::uint32_t(m_in.whole(value, path + ".max_attempts", 1, 20));
    if (const YAML::Node value = node["retry_base_ms"])
        a.retryBase
            = std::chrono::milliseconds(m_in.whole(value, path + ".retry_base_ms", 1, 60000));
    return a;
}

void PluginReader::readSuccess(
    const YAML::Node& node, const std::string& path, HttpSuccessConfig& out) const
{
    m_in.checkKeys(node, path, { "status", "body_contains", "json_path", "equals" });
    if (const YAML::Node status = node["status"]) {
        if (status.IsScalar()) {
            out.status.push_back(int(m_in.whole(status, path + ".status", 100, 599)));
        } else if (status.IsSequence() && status.size() > 0) {
            std::size_t i = 0;
            for (const auto& code : status)
                out.status.push_back(
                    int(m_in.whole(code, indexPath(path + ".status", i++), 100, 599)));
        } else {
            m_in.fail(
                status, path + ".status", "must be a status code or a list such as [200, 201]");
        }
    }
    if (const YAML::Node value = node["body_contains"])
        out.bodyContains
            = m_in.text(value, path + ".body_contains", "text the answer must contain");
    if (const YAML::Node value = node["json_path"]) {
        static const std::regex jsonPath(
            R"((\$\.)?[A-Za-z0-9_-]+(\[[0-9]+\])*(\.[A-Za-z0-9_-]+(\[[0-9]+\])*)*)");
        out.jsonPath = m_in.text(value, path + ".json_path", "a path such as result.status");
        if (!std::regex_match(out.jsonPath, jsonPath))
            m_in.fail(value, path + ".json_path",
                "\"" + out.jsonPath
                    + "\" is not a path such as result.status or items[0].id (keys joined by dots, "
                      "list items by [n])");
        if (out.jsonPath.rfind("$.", 0) == 0)
            out.jsonPath = out.jsonPath.substr(2);
    }
    if (const YAML::Node value = node["equals"]) {
        if (out.jsonPath.empty())
            m_in.fail(value, path + ".equals", "needs json_path: the value it compares");
        if (!value.IsScalar())
            m_in.fail(value, path + ".equals", "must be a plain value such as updated or true");
        out.equals = value.Scalar();
    }
}

} // namespace latch::core
