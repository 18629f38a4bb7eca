#include "plugins/httpplugin.h"

#include "plugins/httpclient.h"
#include "plugins/retrypolicy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

namespace latch::plugins {

namespace {

using json = nlohmann::ordered_json;
using core::RequestTemplate;
using core::TemplateEscape;

// What a recorded response keeps of a long answer.
constexpr std::size_t kMaxRecordedResponse = std::size_t(16) * 1024;

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
        [](unsigned char ch) { return char(std::tolower(ch)); });
    return text;
}

std::string contentTypeOf(const std::vector<std::pair<std::string, std::string>>& headers)
{
    for (const auto& [name, value] : headers) {
        if (lower(name) == "content-type")
            return value;
    }
    return {};
}

// Follows "result.items[0].id" into a JSON document; null when any step is missing.
const json* at(const json& doc, const std::string& path)
{
    const json* node = &doc;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '.') {
            ++i;
        } else if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            std::size_t index = 0;
            const auto [end, ec] = std::from_chars(path.data() + i + 1, path.data() + close, index);
            if (close == std::string::npos || ec != std::errc() || !node->is_array()
                || index >= node->size())
                return nullptr;
            node = &(*node)[index];
            i = close + 1;
        } else {
            std::size_t end = path.find_first_of(".[", i);
            if (end == std::string::npos)
                end = path.size();
            const std::string key = path.substr(i, end - i);
            if (!node->is_object() || !node->contains(key))
                return nullptr;
            node = &node->at(key);
            i = end;
        }
    }
    return node;
}

std::string clipped(const std::string& body)
{
    if (body.size() <= kMaxRecordedResponse)
        return body;
    return body.substr(0, kMaxRecordedResponse) + "\n... (" + std::to_string(body.size())
        + " bytes in all; the rest is not recorded)";
}

// Whether an answer meets the plan's success criteria; `why` says which one failed.
bool meets(const json& success, const HttpResponse& response, std::string& why)
{
    if (success.contains("body_contains")) {
        const std::string needle = success["body_contains"].get<std::string>();
        if (response.body.find(needle) == std::string::npos) {
            why = "the answer does not contain \"" + needle + "\"";
            return false;
        }
    }
    if (success.contains("json_path")) {
        const std::string path = success["json_path"].get<std::string>();
        const json doc = json::parse(response.body, nullptr, false);
        const json* value = doc.is_discarded() ? nullptr : at(doc, path);
        if (!value || value->is_null()) {
            why = "the answer has no " + path;
            return false;
        }
        if (success.contains("equals")) {
            const std::string expected = success["equals"].get<std::string>();
            const std::string actual
                = value->is_string() ? value->get<std::string>() : value->dump();
            if (actual != expected) {
                why = path + " is \"" + actual + "\", not \"" + expected + "\"";
                return false;
            }
        }
    }
    return true;
}

bool statusListed(const json& success, int status)
{
    if (!success.contains("status") || !success["status"].is_array())
        return status >= 200 && status < 300;
    for (const auto& s : success["status"]) {
        if (s.is_number_integer() && s.get<int>() == status)
            return true;
    }
    return false;
}

// Puts the secrets back in place of their "[redacted]" markers: true when every spot matched.
bool fillSecrets(std::string& text, const std::vector<std::pair<std::size_t, std::string>>& spots)
{
    const std::string marker = RequestTemplate::kRedacted;
    // From the end, so earlier offsets stay valid.
    for (std::size_t i = spots.size(); i-- > 0;) {
        const auto& [at, value] = spots[i];
        if (at > text.size() || text.compare(at, marker.size(), marker) != 0)
            return false;
        text.replace(at, marker.size(), value);
    }
    return true;
}

} // namespace

TemplateEscape bodyEscapeFor(const std::string& contentType)
{
    const std::string type = lower(contentType.substr(0, contentType.find(';')));
    std::string trimmed = type;
    trimmed.erase(std::remove(trimmed.begin(), trimmed.end(), ' '), trimmed.end());
    if (trimmed == "application/json"
        || (trimmed.size() > 5 && trimmed.compare(trimmed.size() - 5, 5, "+json") == 0))
        return TemplateEscape::Json;
    if (trimmed == "application/x-www-form-urlencoded")
        return TemplateEscape::Form;
    return TemplateEscape::None;
}

std::string hmacHex(const std::string& algorithm, const std::string& key, const std::string& data)
{
    const EVP_MD* md = algorithm == "sha512" ? EVP_sha512() : EVP_sha256();
    std::array<unsigned char, EVP_MAX_MD_SIZE> out {};
    unsigned int size = 0;
    HMAC(md, key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
        data.size(), out.data(), &size);
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex += digits[out[i] >> 4];
        hex += digits[out[i] & 0xF];
    }
    return hex;
}

HttpPlugin::HttpPlugin(std::string name)
    : m_name(std::move(name))
{
}

Expected<std::vector<std::unique_ptr<HttpPlugin>>> HttpPlugin::fromConfig(
    const std::vector<core::HttpActionConfig>& actions, const EnvLookup& env)
{
    std::vector<std::unique_ptr<HttpPlugin>> plugins;
    for (std::size_t i = 0; i < actions.size(); ++i) {
        const auto& config = actions[i];
        const std::string prefix = config.id.substr(0, config.id.find('.'));
        auto it = std::find_if(
            plugins.begin(), plugins.end(), [&](const auto& p) { return p->m_name == prefix; });
        if (it == plugins.end()) {
            plugins.push_back(std::unique_ptr<HttpPlugin>(new HttpPlugin(prefix)));
            it = plugins.end() - 1;
        }
        HttpPlugin& plugin = **it;
        Action action;
        action.config = config;
        // The config loader has checked every template already.
        action.url = *RequestTemplate::parse(config.url);
        for (const auto& [name, value] : config.headers)
            action.headers.emplace_back(name, *RequestTemplate::parse(value));
        action.body = *RequestTemplate::parse(config.body);
        action.bodyEscape = bodyEscapeFor(contentTypeOf(config.headers));

        std::vector<std::string> needed = action.url.envs();
        for (const auto& [name, t] : action.headers) {
            for (auto& e : t.envs())
                needed.push_back(e);
        }
        for (auto& e : action.body.envs())
            needed.push_back(e);
        if (!config.hmacSecretEnv.empty())
            needed.push_back(config.hmacSecretEnv);
        for (const auto& variable : needed) {
            const auto value = env(variable);
            if (!value || value->empty())
                return fail("plugins.missing_env",
                    "plugins.http[" + std::to_string(i) + "] (" + config.id + ") uses " + variable
                        + ", which is not set; put the secret in that environment variable (it is "
                          "never read from the config file)");
            plugin.m_env[variable] = *value;
        }
        plugin.m_actions.push_back(std::move(action));
    }
    return plugins;
}

const HttpPlugin::Action* HttpPlugin::find(const std::string& id) const
{
    for (const auto& a : m_actions) {
        if (a.config.id == id)
            return &a;
    }
    return nullptr;
}

std::vector<std::string> HttpPlugin::secrets() const
{
    std::vector<std::string> out;
    for (const auto& [name, value] : m_env)
        out.push_back(value);
    return out;
}

std::vector<core::ActionSpec> HttpPlugin::offers(const v1::Case& c) const
{
    std::vector<core::ActionSpec> out;
    for (const auto& a : m_actions) {
        const auto& types = a.config.caseTypes;
        if (!types.empty() && std::find(types.begin(), types.end(), c.type()) == types.end())
            continue;
        core::ActionSpec spec;
        spec.action = a.config.id;
        spec.label = a.config.label;
        spec.plugin = m_name;
        spec.roles = a.config.roles;
        // The free fields it sends, with the case's values: what to fill in before running it.
        json properties = json::object();
        std::vector<std::string> fields = a.url.fields();
        for (const auto& [name, t] : a.headers) {
            for (auto& f : t.fields())
                fields.push_back(f);
        }
        for (auto& f : a.body.fields())
            fields.push_back(f);
        for (const auto& f : fields) {
            json property = { { "type", "string" } };
            std::string value;
            for (const auto& field : c.fields()) {
                if (field.key() == f)
                    value = field.value();
            }
            if (!value.empty())
                property["default"] = value;
            properties[f] = property;
        }
        spec.inputSchema = json { { "type", "object" }, { "properties", properties } }.dump();
        out.push_back(std::move(spec));
    }
    return out;
}

Expected<core::PlannedAction> HttpPlugin::plan(const v1::Case& c, const std::string& id) const
{
    const Action* a = find(id);
    if (!a)
        return fail("action.unavailable", "the " + m_name + " plugin offers no action " + id);
    json secrets = json::array();
    auto note = [&](const std::string& where, const core::ExpandedText& t) {
        for (const auto& spot : t.secrets)
            secrets.push_back({ { "in", where }, { "at", spot.at }, { "env", spot.env } });
    };
    auto url = a->url.expand(c, TemplateEscape::Url);
    if (!url)
        return url.failure();
    note("url", *url);
    json headers = json::array();
    for (std::size_t i = 0; i < a->headers.size(); ++i) {
        auto value = a->headers[i].second.expand(c, TemplateEscape::None);
        if (!value)
            return value.failure();
        note("headers[" + std::to_string(i) + "]", *value);
        headers.push_back(json::array({ a->headers[i].first, value->text }));
    }
    auto body = a->body.expand(c, a->bodyEscape);
    if (!body)
        return body.failure();
    note("body", *body);
    if (a->bodyEscape == TemplateEscape::Json && !body->text.empty()) {
        // A secret may stand where a number does; any value makes the same shape.
        std::string probe = body->text;
        std::vector<std::pair<std::size_t, std::string>> zeros;
        for (const auto& spot : body->secrets)
            zeros.emplace_back(spot.at, "0");
        fillSecrets(probe, zeros);
        if (json::parse(probe, nullptr, false).is_discarded())
            return fail("http.bad_body",
                "the body " + id + " would send for this case is not valid JSON: " + body->text);
    }

    json plan = { { "method", a->config.method }, { "url", url->text }, { "headers", headers } };
    if (!a->body.empty())
        plan["body"] = body->text;
    plan["idempotency_header"] = a->config.idempotencyHeader;
    if (!a->config.hmacSecretEnv.empty())
        plan["hmac"] = { { "header", a->config.hmacHeader },
            { "algorithm", a->config.hmacAlgorithm }, { "secret_env", a->config.hmacSecretEnv } };
    json success = json::object();
    const auto& s = a->config.success;
    if (!s.status.empty())
        success["status"] = s.status;
    else
        success["status"] = "2xx";
    if (!s.bodyContains.empty())
        success["body_contains"] = s.bodyContains;
    if (!s.jsonPath.empty())
        success["json_path"] = s.jsonPath;
    if (s.equals)
        success["equals"] = *s.equals;
    plan["success"] = success;
    if (!secrets.empty())
        plan["secrets"] = secrets;

    core::PlannedAction planned;
    planned.plan = plan.dump();
    planned.summary = a->config.label + " (" + a->config.method + " " + url->text + ")";
    return planned;
}

v1::ActionFinished HttpPlugin::run(const RunRequest& request)
{
    const std::string& key = request.requested.idempotency_key();
    v1::ActionFinished out;
    out.set_action(request.requested.action());
    out.set_idempotency_key(key);
    auto refuse = [&](const std::string& why) {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("http.bad_plan");
        out.set_message(why + "; nothing was sent");
        return out;
    };

    const Action* action = find(request.requested.action());
    if (!action) {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("action.unavailable");
        out.set_message(request.requested.action()
            + " is not configured on this server any more; nothing was sent");
        return out;
    }
    const json plan = json::parse(request.requested.plan(), nullptr, false);
    if (!plan.is_object() || !plan.contains("method") || !plan.contains("url")
        || !plan.contains("headers") || !plan["headers"].is_array())
        return refuse("the recorded plan is not readable");
    HttpRequest call;
    call.method = plan["method"].get<std::string>();
    call.url = plan["url"].get<std::string>();
    call.body = plan.value("body", "");
    for (const auto& h : plan["headers"])
        call.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    const std::string contentType = contentTypeOf(call.headers);
    call.timeout = action->config.timeout;

    // What is recorded: the plan's text, secrets still "[redacted]", plus what the run adds.
    std::string shown = call.method + " " + call.url + "\n";
    for (const auto& [name, value] : call.headers)
        shown.append(name).append(": ").append(value).append("\n");

    // Secrets go in now, each escaped for where it lands.
    std::map<std::string, std::vector<std::pair<std::size_t, std::string>>> spots;
    for (const auto& s : plan.value("secrets", json::array())) {
        const std::string where = s.value("in", "");
        const std::string variable = s.value("env", "");
        const auto value = m_env.find(variable);
        if (value == m_env.end())
            return refuse("the plan uses " + variable + ", which this server was not given");
        const TemplateEscape how = where == "url" ? TemplateEscape::Url
            : where == "body"                     ? bodyEscapeFor(contentType)
                                                  : TemplateEscape::None;
        spots[where].emplace_back(
            s.value("at", std::size_t(0)), RequestTemplate::escape(value->second, how));
    }
    for (auto& [where, list] : spots) {
        std::sort(list.begin(), list.end());
        std::string* text = nullptr;
        if (where == "url")
            text = &call.url;
        else if (where == "body")
            text = &call.body;
        else if (where.rfind("headers[", 0) == 0) {
            const std::size_t index = std::stoul(where.substr(8));
            if (index < call.headers.size())
                text = &call.headers[index].second;
        }
        if (!text || !fillSecrets(*text, list))
            return refuse("the recorded plan's secrets do not match its text");
    }

    call.headers.emplace_back(plan.value("idempotency_header", "Idempotency-Key"), key);
    shown += plan.value("idempotency_header", "Idempotency-Key") + ": " + key + "\n";
    if (plan.contains("hmac")) {
        const auto& h = plan["hmac"];
        const auto secret = m_env.find(h.value("secret_env", ""));
        if (secret == m_env.end())
            return refuse("the plan signs with " + h.value("secret_env", "")
                + ", which this server was not given");
        const std::string signature
            = hmacHex(h.value("algorithm", "sha256"), secret->second, call.body);
        call.headers.emplace_back(h.value("header", ""), signature);
        shown += h.value("header", "") + ": " + signature + "\n";
    }
    out.set_request(shown + "\n" + plan.value("body", ""));

    const json success = plan.value("success", json::object());
    const std::uint32_t maxAttempts = action->config.maxAttempts;
    RetryPolicy retry(maxAttempts, action->config.retryBase, request.stopping);
    bool outcomeOpen = false; // a call may have reached the API without an answer
    int lastStatus = 0;
    std::string lastProblem;
    std::string unanswered; // why the last unanswered call went unanswered
    while (retry.next()) {
        const HttpResponse response = httpCall(call);
        out.set_attempts(retry.attempts());
        std::chrono::milliseconds hint(0);
        if (response.transport == HttpResponse::Transport::Connect) {
            lastProblem = response.error;
        } else if (response.transport == HttpResponse::Transport::Sent) {
            outcomeOpen = true;
            lastProblem = unanswered = response.error;
        } else {
            out.set_http_status(response.status);
            out.set_response(clipped(response.body));
            lastStatus = response.status;
            if (statusListed(success, response.status)) {
                std::string why;
                if (meets(success, response, why)) {
                    out.set_state(v1::ACTION_STATE_SUCCEEDED);
                    out.set_message(
                        "the API answered " + std::to_string(response.status) + " as expected");
                } else {
                    out.set_state(v1::ACTION_STATE_FAILED);
                    out.set_code("http.criteria");
                    out.set_message("the API answered " + std::to_string(response.status) + " but "
                        + why + ", so it does not count as done");
                }
                return out;
            }
            if (response.status != 429 && response.status < 500) {
                out.set_state(v1::ACTION_STATE_FAILED);
                out.set_code("http.status_" + std::to_string(response.status));
                out.set_message(
                    "the API refused the call with HTTP " + std::to_string(response.status));
                return out;
            }
            lastProblem = "HTTP " + std::to_string(response.status);
            hint = RetryPolicy::retryAfter(response.header("retry-after"));
        }
        spdlog::warn(
            "{} {} attempt {}: {}", request.requested.action(), key, retry.attempts(), lastProblem);
        if (retry.attempts() >= maxAttempts || !retry.wait(hint))
            break;
    }
    if (request.stopping && request.stopping->load()) {
        out.set_state(v1::ACTION_STATE_UNSPECIFIED);
        return out;
    }
    if (outcomeOpen) {
        // With the same key on every call, an API that honours it acted at most once; whether
        // it did is not known.
        out.set_state(v1::ACTION_STATE_UNKNOWN);
        out.set_code("http.outcome_unknown");
        out.set_message("a call went unanswered (" + unanswered + ")"
            + (lastStatus != 0 ? " and the last answer was HTTP " + std::to_string(lastStatus)
                               : std::string())
            + "; whether the API acted is unknown: check it before running the action again");
    } else if (lastStatus != 0) {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("http.status_" + std::to_string(lastStatus));
        out.set_message("after " + std::to_string(retry.attempts())
            + " attempts the API's last answer was HTTP " + std::to_string(lastStatus)
            + "; the action is not done");
    } else {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("http.unreachable");
        out.set_message("the API could not be reached after " + std::to_string(retry.attempts())
            + " attempts (" + lastProblem + "); nothing was sent");
    }
    return out;
}

} // namespace latch::plugins
