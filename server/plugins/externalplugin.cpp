#include "plugins/externalplugin.h"

#include "latch/casefold.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace latch::plugins {

namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;

constexpr milliseconds kMaxBackoff { 60000 };
constexpr milliseconds kStopGrace { 1000 };
constexpr std::size_t kMaxOffers = 64;

// What a plugin is told about a case (docs/plugin-protocol.md, "The case").
json caseJson(const v1::Case& c)
{
    json fields = json::object();
    for (const auto& f : c.fields())
        fields[f.key()] = f.value();
    json runs = json::array();
    for (const auto& run : c.actions())
        runs.push_back({ { "action", run.action() }, { "idempotency_key", run.idempotency_key() },
            { "state", actionStateName(run.state()) }, { "external_id", run.external_id() },
            { "external_status", run.external_status() } });
    return {
        { "id", c.id() },
        { "version", c.version() },
        { "type", c.type() },
        { "status", statusName(c.status()) },
        { "title", c.title() },
        { "description", c.description() },
        { "customer", c.customer() },
        { "order_ref", c.order_ref() },
        { "amount",
            c.has_amount()
                ? json { { "minor", c.amount().minor() }, { "currency", c.amount().currency() } }
                : json() },
        { "fields", std::move(fields) },
        { "queue", c.queue() },
        { "assignee", c.assignee() },
        { "requester", c.requester() },
        { "preparer", c.preparer() },
        { "created_ms", c.created_ms() },
        { "updated_ms", c.updated_ms() },
        { "actions", std::move(runs) },
    };
}

Failure protocol(const std::string& who, const std::string& what)
{
    return fail("plugin.protocol", who + " " + what);
}

// An optional string member of a result, bounded; nullopt (and `bad` set) when it is not one.
std::optional<std::string> optionalText(
    const json& result, const char* key, std::size_t max, bool& bad)
{
    if (!result.contains(key) || result[key].is_null())
        return std::string();
    if (!result[key].is_string() || result[key].get<std::string>().size() > max) {
        bad = true;
        return std::nullopt;
    }
    return result[key].get<std::string>();
}

// The plugin's environment: a few of the server's own variables, then its settings and secrets.
std::vector<std::string> environmentFor(
    const core::ExternalPluginSettings& settings, const std::vector<std::string>& secretValues)
{
    std::vector<std::string> env;
    for (const char* name : { "PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR" }) {
        if (settings.env.count(name))
            continue;
        if (const char* value = std::getenv(name))
            env.push_back(std::string(name) + "=" + value);
        else if (std::string(name) == "PATH")
            env.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
    }
    for (const auto& [name, value] : settings.env)
        env.push_back(name + "=" + value);
    for (std::size_t i = 0; i < settings.secretEnv.size(); ++i)
        env.push_back(settings.secretEnv[i] + "=" + secretValues[i]);
    return env;
}

} // namespace

Expected<std::vector<std::unique_ptr<ExternalPlugin>>> ExternalPlugin::discover(
    const core::ExternalPluginsConfig& config, const std::vector<std::string>& reservedNames)
{
    namespace fs = std::filesystem;
    std::vector<std::unique_ptr<ExternalPlugin>> plugins;
    if (config.dir.empty())
        return plugins;
    std::error_code ec;
    // Absolute: a plugin starts in this directory, and its path must still name it from there.
    const std::string dir = fs::absolute(config.dir, ec).lexically_normal().string();
    if (ec || !fs::is_directory(dir, ec))
        return fail("plugins.no_dir",
            "plugins.external.dir: " + config.dir
                + " is not a directory; create it, or remove plugins.external from the config");
    std::vector<fs::path> files;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        files.push_back(it->path());
    if (ec)
        return fail("plugins.no_dir",
            "plugins.external.dir: cannot read " + config.dir + ": " + ec.message());
    std::sort(files.begin(), files.end());
    const auto executable = [](const fs::path& p) {
        std::error_code e;
        return fs::is_regular_file(p, e) && ::access(p.c_str(), X_OK) == 0;
    };
    // Settings are checked whole before anything starts.
    std::map<std::string, std::vector<std::string>> secretValues;
    for (const auto& [file, settings] : config.executables) {
        if (!executable(fs::path(dir) / file))
            return fail("plugins.no_executable",
                "plugins.external.executables." + file + ": there is no executable " + file + " in "
                    + dir);
        for (const auto& name : settings.secretEnv) {
            const char* value = std::getenv(name.c_str());
            if (!value || !*value)
                return fail("plugins.no_secret",
                    "plugins.external.executables." + file + ".secret_env: " + name
                        + " is not set; put the secret in that environment variable (it is "
                          "never read from the config file)");
            secretValues[file].emplace_back(value);
        }
    }

    std::vector<std::string> taken = reservedNames;
    for (const auto& path : files) {
        const std::string file = path.filename().string();
        if (file.empty() || file[0] == '.')
            continue;
        if (!executable(path)) {
            spdlog::warn("plugins: {} is not an executable file; skipped (chmod +x to use it as "
                         "a plugin)",
                path.string());
            continue;
        }
        const auto found = config.executables.find(file);
        core::ExternalPluginSettings settings
            = found == config.executables.end() ? core::ExternalPluginSettings {} : found->second;
        const std::vector<std::string> secrets = secretValues[file];

        PluginProcess::Options options;
        options.path = path.string();
        options.label = file;
        options.env = environmentFor(settings, secrets);
        options.workDir = dir;
        options.maxFrameBytes = config.maxFrameBytes;
        options.grace = kStopGrace;
        options.secrets = secrets;
        options.hello = { { "server", "latch-server" },
            { "limits",
                { { "max_frame_bytes", config.maxFrameBytes },
                    { "call_timeout_ms", config.callTimeout.count() },
                    { "run_timeout_ms", config.runTimeout.count() } } } };

        auto plugin = std::unique_ptr<ExternalPlugin>(
            new ExternalPlugin(options, config, std::move(settings), secrets, nullptr));
        auto process
            = PluginProcess::start(options, Clock::now() + config.startTimeout, plugin->m_reaper);
        if (!process) {
            spdlog::error("plugins: {} refused ({}): {}", path.string(), process.failure().code,
                process.failure().message);
            continue;
        }
        const PluginHello hello = (*process)->hello();
        if (std::find(taken.begin(), taken.end(), hello.name) != taken.end()) {
            spdlog::error("plugins: {} refused (plugin.name_taken): it calls itself {}, a name "
                          "another plugin already has",
                path.string(), hello.name);
            (*process)->abort();
            plugin->m_reaper.dispose(std::move(*process));
            continue;
        }
        taken.push_back(hello.name);
        std::string actions;
        for (const auto& a : hello.actions)
            actions += (actions.empty() ? "" : ", ") + a;
        spdlog::info("plugins: {} is plugin {} {} ({}, pid {}), offering {}", path.string(),
            hello.name, hello.version, hello.protocol, (*process)->pid(), actions);
        plugin->m_name = hello.name;
        plugin->m_version = hello.version;
        plugin->m_options.label = hello.name;
        plugin->m_actions = hello.actions;
        plugin->m_query = std::move(*process);
        plugins.push_back(std::move(plugin));
    }
    if (plugins.empty())
        spdlog::warn("plugins: no external plugin started from {}", dir);
    return plugins;
}

ExternalPlugin::ExternalPlugin(PluginProcess::Options options,
    const core::ExternalPluginsConfig& config, core::ExternalPluginSettings settings,
    std::vector<std::string> secrets, std::unique_ptr<PluginProcess> process)
    : m_options(std::move(options))
    , m_callTimeout(config.callTimeout)
    , m_runTimeout(config.runTimeout)
    , m_startTimeout(config.startTimeout)
    , m_restartBackoff(config.restartBackoff)
    , m_settings(std::move(settings))
    , m_secrets(std::move(secrets))
    , m_query(std::move(process))
{
}

ExternalPlugin::~ExternalPlugin()
{
    std::lock_guard lock(m_mutex);
    m_reaper.dispose(std::move(m_query));
}

bool ExternalPlugin::containsSecret(const std::string& text) const
{
    return std::any_of(m_secrets.begin(), m_secrets.end(), [&](const std::string& secret) {
        return !secret.empty() && text.find(secret) != std::string::npos;
    });
}

Failure ExternalPlugin::fault(Failure failure) const
{
    if (failure.code == "plugin.too_large") {
        // Ours to refuse: nothing was sent and the process is fine.
        spdlog::warn("plugins: {}: {}", m_name, failure.message);
        return failure;
    }
    if (m_query) {
        m_query->abort();
        m_reaper.dispose(std::move(m_query));
    }
    ++m_failures;
    auto backoff = m_restartBackoff;
    for (unsigned i = 1; i < m_failures && backoff < kMaxBackoff; ++i)
        backoff *= 2;
    backoff = std::min(backoff, kMaxBackoff);
    m_retryAt = Clock::now() + backoff;
    m_lastFailure = failure.code;
    spdlog::warn("plugins: {}: {}: {}; stopped it, and it is started again on the next call, no "
                 "sooner than in {} ms",
        m_name, failure.code, failure.message, backoff.count());
    failure.message += "; the plugin was stopped and is started again on a later call";
    return failure;
}

Failure ExternalPlugin::pluginError(const Failure& error) const
{
    // Its codes live under its name, so they never pass for the server's own.
    std::string code = error.code;
    if (code.rfind(m_name + ".", 0) != 0)
        code = m_name + "." + code;
    return fail(
        std::move(code), error.message.empty() ? m_name + " gave no reason" : error.message);
}

template <typename T, typename Read>
Expected<T> ExternalPlugin::ask(const std::string& method, json params, Read read) const
{
    // One budget for everything: waiting for another call, a restart, the call itself.
    const auto deadline = Clock::now() + m_callTimeout;
    std::unique_lock lock(m_mutex, deadline);
    if (!lock.owns_lock()) {
        spdlog::warn("plugins: {}: plugin.busy: another call held it for {} ms; {} skipped", m_name,
            m_callTimeout.count(), method);
        return fail("plugin.busy", m_name + " is busy with another call; try again");
    }
    if (!m_query) {
        const auto now = Clock::now();
        if (now < m_retryAt) {
            const auto wait = std::chrono::duration_cast<milliseconds>(m_retryAt - now).count();
            spdlog::debug("plugins: {}: down after {}; {} skipped", m_name, m_lastFailure, method);
            return fail("plugin.unavailable",
                "plugin " + m_name + " is being restarted after a failure (" + m_lastFailure
                    + "); try again in " + std::to_string(wait / 1000 + 1) + " s");
        }
        auto started = PluginProcess::start(m_options, deadline, m_reaper);
        if (!started)
            return fault(started.failure());
        m_query = std::move(*started);
        if (m_query->hello().name != m_name)
            return fault(protocol(m_name, "now calls itself " + m_query->hello().name));
        m_actions = m_query->hello().actions;
        spdlog::info("plugins: {} started again (pid {})", m_name, m_query->pid());
    }
    auto answer = m_query->call(method, std::move(params), deadline);
    if (!answer)
        return fault(answer.failure());
    if (answer->error) {
        m_failures = 0;
        return pluginError(*answer->error);
    }
    Expected<T> value = read(answer->result);
    if (!value)
        return fault(value.failure());
    m_failures = 0;
    return value;
}

std::vector<core::ActionSpec> ExternalPlugin::offers(const v1::Case& c) const
{
    auto offered = ask<std::vector<core::ActionSpec>>("offers", { { "case", caseJson(c) } },
        [&](const json& result) -> Expected<std::vector<core::ActionSpec>> {
            const json& actions = result.contains("actions") ? result["actions"] : json();
            if (!actions.is_array() || actions.size() > kMaxOffers)
                return protocol(m_name, "answered offers without an actions list");
            std::vector<core::ActionSpec> specs;
            for (const auto& a : actions) {
                const json action = a.is_object() ? a.value("action", json()) : json();
                if (!action.is_string()
                    || std::find(m_actions.begin(), m_actions.end(), action.get<std::string>())
                        == m_actions.end())
                    return protocol(m_name,
                        "offered " + action.dump() + ", which its handshake did not declare");
                bool bad = false;
                const auto label = optionalText(a, "label", 200, bad);
                const json schema = a.value("input_schema", json::object());
                if (bad || !schema.is_object())
                    return protocol(m_name,
                        "offered " + action.get<std::string>()
                            + " with a label that is not a short string or an input_schema "
                              "that is not an object");
                core::ActionSpec spec;
                spec.action = action.get<std::string>();
                spec.label = label->empty() ? spec.action : *label;
                spec.plugin = m_name;
                spec.roles = m_settings.roles;
                spec.inputSchema = schema.dump();
                if (containsSecret(spec.label + spec.inputSchema))
                    return protocol(m_name, "put a secret in its offer of " + spec.action);
                specs.push_back(std::move(spec));
            }
            return specs;
        });
    if (!offered) {
        // Faults are logged where they are handled; an error the plugin chose is logged here.
        if (offered.failure().code.rfind(m_name + ".", 0) == 0)
            spdlog::warn("plugins: {}: offers for case {} answered {}: {}", m_name, c.id(),
                offered.failure().code, offered.failure().message);
        return {};
    }
    return *offered;
}

Expected<core::PlannedAction> ExternalPlugin::plan(
    const v1::Case& c, const std::string& action) const
{
    return ask<core::PlannedAction>("plan", { { "case", caseJson(c) }, { "action", action } },
        [&](const json& result) -> Expected<core::PlannedAction> {
            const json plan = result.value("plan", json());
            const json summary = result.value("summary", json());
            if (!plan.is_object() || !summary.is_string() || summary.get<std::string>().empty()
                || summary.get<std::string>().size() > 500)
                return protocol(
                    m_name, "answered plan without a plan object and a summary (a sentence)");
            core::PlannedAction planned;
            // Keys sorted: the same plan always has the same bytes, so the same hash.
            planned.plan = plan.dump();
            planned.summary = summary.get<std::string>();
            if (containsSecret(planned.plan + planned.summary))
                return protocol(m_name,
                    "put a secret in its plan for " + action
                        + "; plans are recorded, so it is "
                          "refused");
            return planned;
        });
}

v1::ActionFinished ExternalPlugin::run(const RunRequest& request)
{
    const auto& requested = request.requested;
    v1::ActionFinished out;
    out.set_action(requested.action());
    out.set_idempotency_key(requested.idempotency_key());
    const auto finish = [&](v1::ActionState state, std::string code, std::string message) {
        out.set_state(state);
        out.set_code(std::move(code));
        out.set_message(std::move(message));
        return out;
    };
    const json plan = json::parse(requested.plan(), nullptr, false);
    if (!plan.is_object())
        return finish(v1::ACTION_STATE_FAILED, "plugin.bad_plan",
            "the recorded plan is not a JSON object; nothing was sent");

    // A process of its own: whatever happens to it, offers and other runs go on.
    const auto deadline = Clock::now() + m_runTimeout;
    auto started = PluginProcess::start(
        m_options, std::min(deadline, Clock::now() + m_startTimeout), m_reaper, request.stopping);
    if (!started && started.failure().code == "plugin.stopping")
        return finish(v1::ACTION_STATE_UNSPECIFIED, {}, {});
    if (started && (*started)->hello().name != m_name) {
        (*started)->abort();
        m_reaper.dispose(std::move(*started));
        started = protocol(m_name, "now calls itself something else");
    }
    if (!started) {
        spdlog::warn("plugins: {}: run {} could not start: {}: {}", m_name,
            requested.idempotency_key(), started.failure().code, started.failure().message);
        return finish(v1::ACTION_STATE_FAILED, started.failure().code,
            "the plugin could not be started for the run (" + started.failure().message
                + "); nothing was sent");
    }
    std::unique_ptr<PluginProcess> process = std::move(*started);
    json params = { { "case", caseJson(request.c) },
        { "request",
            { { "action", requested.action() }, { "idempotency_key", requested.idempotency_key() },
                { "plan", plan }, { "summary", requested.summary() },
                { "requested_ms", request.requestedMs } } } };
    bool delivered = false;
    auto answer = process->call("run", std::move(params), deadline, request.stopping, &delivered);
    if (!answer) {
        const Failure& f = answer.failure();
        process->abort();
        m_reaper.dispose(std::move(process));
        if (f.code == "plugin.stopping")
            return finish(v1::ACTION_STATE_UNSPECIFIED, {}, {}); // resumed, with the same key
        spdlog::warn("plugins: {}: run {}: {}: {}; stopped it", m_name, requested.idempotency_key(),
            f.code, f.message);
        if (!delivered)
            return finish(v1::ACTION_STATE_FAILED, f.code, f.message + "; nothing was sent");
        return finish(v1::ACTION_STATE_UNKNOWN, f.code,
            f.message + "; it may have acted: check the external system before running "
                + requested.action() + " again");
    }
    if (answer->error) {
        // An error answer says the run was refused before anything was done.
        m_reaper.dispose(std::move(process));
        const Failure error = pluginError(*answer->error);
        return finish(v1::ACTION_STATE_FAILED, error.code, error.message);
    }

    const json& r = answer->result;
    const json state = r.value("state", json());
    bool bad = false;
    const auto code = optionalText(r, "code", 100, bad);
    const auto message = optionalText(r, "message", 2000, bad);
    const auto externalId = optionalText(r, "external_id", 200, bad);
    const auto externalStatus = optionalText(r, "external_status", 200, bad);
    const json status = r.value("http_status", json(0));
    const json attempts = r.value("attempts", json(1u));
    const bool stateOk
        = state.is_string() && (state == "succeeded" || state == "failed" || state == "unknown");
    if (!stateOk || bad || !status.is_number_integer() || status.get<std::int64_t>() < 0
        || status.get<std::int64_t>() > 999 || !attempts.is_number_integer()
        || attempts.get<std::int64_t>() < 0 || attempts.get<std::int64_t>() > 1000) {
        process->abort();
        m_reaper.dispose(std::move(process));
        const Failure f = protocol(m_name,
            "answered run with a result of the wrong shape (state must be succeeded, failed or "
            "unknown; code, message, external_id, external_status short strings)");
        spdlog::warn(
            "plugins: {}: run {}: {}: {}", m_name, requested.idempotency_key(), f.code, f.message);
        return finish(v1::ACTION_STATE_UNKNOWN, f.code,
            f.message + "; it may have acted: check the external system before running "
                + requested.action() + " again");
    }
    m_reaper.dispose(std::move(process));
    const auto asText = [&](const char* key) {
        if (!r.contains(key) || r[key].is_null())
            return std::string();
        return r[key].is_string() ? r[key].get<std::string>() : r[key].dump();
    };
    out.set_request(asText("request"));
    out.set_response(asText("response"));
    out.set_http_status(status.get<std::int32_t>());
    out.set_external_id(*externalId);
    out.set_external_status(*externalStatus);
    out.set_attempts(std::uint32_t(attempts.get<std::int64_t>()));
    if (state == "succeeded")
        return finish(v1::ACTION_STATE_SUCCEEDED,
            code->empty() ? std::string() : pluginError(fail(*code, {})).code, *message);
    const bool failed = state == "failed";
    const Failure f
        = pluginError(fail(code->empty() ? (failed ? "failed" : "outcome_unknown") : *code,
            message->empty() ? m_name + " gave no reason" : *message));
    return finish(failed ? v1::ACTION_STATE_FAILED : v1::ACTION_STATE_UNKNOWN, f.code, f.message);
}

} // namespace latch::plugins
