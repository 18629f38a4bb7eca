#pragma once
// Declarative HTTP actions (plugins.http): each configured action calls one endpoint of an ERP or
// internal API, with its URL, headers and body filled from the case (core/requesttemplate.h).
// Actions are grouped by the prefix of their id: "erp.update_bank_details" belongs to plugin
// "erp", whose results are recorded as plugin:erp.
//
// The plan is the request exactly as it will be sent, with every environment-sourced value shown
// as "[redacted]" and its place listed, so the run sends what was approved and puts the secrets in
// only then. Every call carries the run's idempotency key (Idempotency-Key by default), so an API
// that honours it acts once however often the call is repeated (a retry, a resume after a crash);
// an API that does not may see a repeat. Optional: an HMAC of the body in a header. The success
// criteria decide succeeded or failed (http.status_<n>, http.criteria); network errors, 5xx and
// 429 are retried (Retry-After honoured); a call that may have reached the API and was never
// answered is recorded as unknown, never guessed.
//
// Threading: see Plugin. Holds its configuration and the secrets it was given.
#include "core/config.h"
#include "core/requesttemplate.h"
#include "plugins/plugin.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace latch::plugins {

class HttpPlugin final : public Plugin {
public:
    // Reads an environment variable; nullopt (or "") when it is not set.
    using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

    // One plugin per id prefix. Fails (plugins.missing_env) naming the action and the variable
    // when a secret an action uses is not set.
    static Expected<std::vector<std::unique_ptr<HttpPlugin>>> fromConfig(
        const std::vector<core::HttpActionConfig>& actions, const EnvLookup& env);

    std::string name() const override { return m_name; }
    std::vector<core::ActionSpec> offers(const v1::Case& c) const override;
    Expected<core::PlannedAction> plan(const v1::Case& c, const std::string& action) const override;
    v1::ActionFinished run(const RunRequest& request) override;
    std::vector<std::string> secrets() const override;

private:
    struct Action {
        core::HttpActionConfig config;
        core::RequestTemplate url;
        std::vector<std::pair<std::string, core::RequestTemplate>> headers;
        core::RequestTemplate body;
        core::TemplateEscape bodyEscape = core::TemplateEscape::None;
    };

    explicit HttpPlugin(std::string name);
    const Action* find(const std::string& id) const;

    std::string m_name;
    std::vector<Action> m_actions;
    std::map<std::string, std::string> m_env; // variable -> value: every one is a secret
};

// How a body with this Content-Type has its values escaped: JSON for application/json and
// */*+json, form encoding for application/x-www-form-urlencoded, as is otherwise.
core::TemplateEscape bodyEscapeFor(const std::string& contentType);

// Lower-case hex of HMAC(`algorithm`: sha256 or sha512, `key`, `data`).
std::string hmacHex(const std::string& algorithm, const std::string& key, const std::string& data);

} // namespace latch::plugins
