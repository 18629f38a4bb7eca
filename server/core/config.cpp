#include "core/config.h"

#include "core/intakereader.h"
#include "core/pluginreader.h"
#include "core/rulereader.h"
#include "core/yamlfields.h"
#include "latch/hashing.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <type_traits>
#include <utility>
#include <yaml-cpp/yaml.h>

namespace latch::core {

bool Config::hasRole(const std::string& role) const
{
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const QueueDef* Config::queue(const std::string& name) const
{
    const auto it = std::find_if(
        queues.begin(), queues.end(), [&](const QueueDef& q) { return q.name == name; });
    return it == queues.end() ? nullptr : &*it;
}

std::string Config::queueForType(const std::string& type) const
{
    for (const QueueDef& q : queues) {
        if (std::find(q.types.begin(), q.types.end(), type) != q.types.end()) {
            return q.name;
        }
    }
    return defaultQueue;
}

namespace {

bool contains(const std::vector<std::string>& items, const std::string& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

// Re-emits a node in one fixed style (block, plain where possible, comments dropped), so the rules
// version changes when the rules do and not when someone re-indents or edits a comment.
void emitCanonical(YAML::Emitter& out, const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map:
        out << YAML::BeginMap;
        for (const auto& kv : node) {
            out << YAML::Key;
            emitCanonical(out, kv.first);
            out << YAML::Value;
            emitCanonical(out, kv.second);
        }
        out << YAML::EndMap;
        break;
    case YAML::NodeType::Sequence:
        out << YAML::BeginSeq;
        for (const auto& item : node) {
            emitCanonical(out, item);
        }
        out << YAML::EndSeq;
        break;
    case YAML::NodeType::Scalar:
        out << node.Scalar();
        break;
    default:
        out << YAML::Null;
        break;
    }
}

void readLimits(const YamlFields& in, const YAML::Node& node, Limits& limits)
{
    in.checkKeys(node, "server.limits",
        { "max_frame_bytes", "max_send_queue_bytes", "snapshot_page_bytes", "reset_after_events",
            "idle_timeout_s", "handshake_timeout_s", "max_http_body_bytes" });
    const auto number = [&](const char* key, auto& into, std::uint64_t min) {
        if (const YAML::Node value = node[key]) {
            using T = std::remove_reference_t<decltype(into)>;
            into = static_cast<T>(in.whole(value, keyPath("server.limits", key), min,
                std::numeric_limits<std::uint32_t>::max()));
        }
    };
    number("max_frame_bytes", limits.maxFrameBytes, 1024);
    number("max_send_queue_bytes", limits.maxSendQueueBytes, 1024);
    number("snapshot_page_bytes", limits.snapshotPageBytes, 1024);
    number("reset_after_events", limits.resetAfterEvents, 1);
    number("max_http_body_bytes", limits.maxHttpBodyBytes, 1024);
    if (const YAML::Node value = node["idle_timeout_s"]) {
        limits.idleTimeout = std::chrono::seconds(
            in.whole(value, "server.limits.idle_timeout_s", 1, 24 * 3600ULL));
    }
    if (const YAML::Node value = node["handshake_timeout_s"]) {
        limits.handshakeTimeout
            = std::chrono::seconds(in.whole(value, "server.limits.handshake_timeout_s", 1, 3600));
    }
    // A snapshot page travels as one frame, and a frame must fit in the send queue.
    if (limits.snapshotPageBytes >= limits.maxFrameBytes) {
        in.fail(node, "server.limits.snapshot_page_bytes",
            "must be smaller than max_frame_bytes (" + std::to_string(limits.maxFrameBytes)
                + "), since a snapshot page is sent as one frame");
    }
    if (limits.maxSendQueueBytes < limits.maxFrameBytes) {
        in.fail(node, "server.limits.max_send_queue_bytes",
            "must be at least max_frame_bytes (" + std::to_string(limits.maxFrameBytes) + ")");
    }
}

void readServer(const YamlFields& in, const YAML::Node& node, Config& config)
{
    in.checkKeys(node, "server", { "listen", "allow_plain_remote", "tls", "limits" });
    if (const YAML::Node listen = node["listen"]) {
        const std::string expected = "an address and port such as 127.0.0.1:7443";
        config.listen = in.text(listen, "server.listen", expected);
        const std::size_t colon = config.listen.rfind(':');
        const std::string port = colon == std::string::npos ? "" : config.listen.substr(colon + 1);
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (colon == 0 || port.empty() || ec != std::errc() || end != port.data() + port.size()
            || value > 65535) {
            in.fail(
                listen, "server.listen", "must be " + expected + ", not \"" + config.listen + "\"");
        }
    }
    if (const YAML::Node plain = node["allow_plain_remote"]) {
        config.allowPlainRemote = in.flag(plain, "server.allow_plain_remote");
    }
    if (const YAML::Node tls = node["tls"]) {
        in.checkKeys(tls, "server.tls", { "cert", "key" });
        if (!tls["cert"] || !tls["key"]) {
            in.fail(tls, "server.tls", "needs both cert and key (PEM file paths)");
        }
        config.tls.certFile
            = in.text(tls["cert"], "server.tls.cert", "the path of a PEM certificate");
        config.tls.keyFile = in.text(tls["key"], "server.tls.key", "the path of a PEM private key");
    }
    if (const YAML::Node limits = node["limits"]) {
        readLimits(in, limits, config.limits);
    }
}

void readAuth(const YamlFields& in, const YAML::Node& node, AuthConfig& auth)
{
    in.checkKeys(node, "auth",
        { "token_ttl_hours", "max_failures_per_user", "max_failures_per_address",
            "failure_window_s", "password_ops_limit", "password_mem_limit_bytes" });
    if (const YAML::Node value = node["token_ttl_hours"]) {
        auth.tokenTtl = std::chrono::hours(in.whole(value, "auth.token_ttl_hours", 1, 24 * 366ULL));
    }
    if (const YAML::Node value = node["max_failures_per_user"]) {
        auth.maxFailuresPerUser
            = static_cast<int>(in.whole(value, "auth.max_failures_per_user", 1, 1000));
    }
    if (const YAML::Node value = node["max_failures_per_address"]) {
        auth.maxFailuresPerAddress
            = static_cast<int>(in.whole(value, "auth.max_failures_per_address", 1, 100000));
    }
    if (const YAML::Node value = node["failure_window_s"]) {
        auth.failureWindow
            = std::chrono::seconds(in.whole(value, "auth.failure_window_s", 1, 7 * 24 * 3600ULL));
    }
    // Argon2id cost of new password hashes; the bounds are libsodium's (8 KiB) and a sanity cap.
    if (const YAML::Node value = node["password_ops_limit"]) {
        auth.passwordOpsLimit = in.whole(value, "auth.password_ops_limit", 1, 64);
    }
    if (const YAML::Node value = node["password_mem_limit_bytes"]) {
        auth.passwordMemLimitBytes = static_cast<std::size_t>(
            in.whole(value, "auth.password_mem_limit_bytes", 8192, std::uint64_t(4) << 30));
    }
}

void readRoles(const YamlFields& in, const YAML::Node& node, Config& config)
{
    static const std::regex rolePattern("[a-z][a-z0-9_-]*");
    if (node && !node.IsNull()) {
        for (auto& [role, at] : in.names(node, "roles", "role name", false)) {
            if (!std::regex_match(role, rolePattern)) {
                in.fail(at, "roles",
                    "role \"" + role
                        + "\" must be lower case letters, digits, _ or -, starting with a letter");
            }
            config.roles.push_back(role);
        }
    }
    // Admins manage users and config; the role exists whether the file lists it or not.
    if (!config.hasRole("admin")) {
        config.roles.insert(config.roles.begin(), "admin");
    }
}

void readQueues(const YamlFields& in, const YAML::Node& node, Config& config)
{
    if (!node || node.IsNull()) {
        return;
    }
    if (!node.IsMap()) {
        in.fail(node, "queues", "must be a map of queue name to {roles: [...], types: [...]}");
    }
    std::vector<std::string> seen;
    for (const auto& kv : node) {
        const std::string name = in.text(kv.first, "queues", "a queue name");
        const std::string path = keyPath("queues", name);
        if (contains(seen, name)) {
            in.fail(kv.first, path, "queue " + name + " is defined twice");
        }
        seen.push_back(name);
        QueueDef queue;
        queue.name = name;
        const YAML::Node& body = kv.second;
        if (!body.IsNull()) {
            in.checkKeys(body, path, { "roles", "types" });
            if (const YAML::Node roles = body["roles"]) {
                for (auto& [role, at] : in.names(roles, path + ".roles", "role name", false)) {
                    in.requireRole(at, path + ".roles", role, config.roles);
                    queue.roles.push_back(role);
                }
            }
            if (const YAML::Node types = body["types"]) {
                for (auto& [type, at] : in.names(types, path + ".types", "case type", false)) {
                    for (const QueueDef& other : config.queues) {
                        if (contains(other.types, type)) {
                            in.fail(at, path + ".types",
                                "type " + type + " is already routed to queue " + other.name
                                    + "; a type belongs to one queue");
                        }
                    }
                    queue.types.push_back(type);
                }
            }
        }
        config.queues.push_back(std::move(queue));
    }
}

std::vector<std::string> nameList(const YamlFields& in, const YAML::Node& node,
                                  const std::string& path, const std::string& noun)
{
    std::vector<std::string> out;
    for (auto& [name, at] : in.names(node, path, noun, true))
        out.push_back(name);
    return out;
}

void readStripe(const YamlFields& in, const YAML::Node& node, Config& config)
{
    const std::string path = "plugins.stripe";
    in.checkKeys(node, path,
        { "enabled", "base_url", "api_key_env", "roles", "case_types", "timeout_ms",
            "max_attempts", "retry_base_ms", "follow_ms", "webhook_secret_env",
            "webhook_tolerance_s" });
    auto& stripe = config.plugins.stripe;
    if (const YAML::Node value = node["enabled"])
        stripe.enabled = in.flag(value, path + ".enabled");
    if (const YAML::Node value = node["base_url"]) {
        stripe.baseUrl = in.text(value, path + ".base_url", "an http(s) URL");
        if (stripe.baseUrl.rfind("https://", 0) != 0 && stripe.baseUrl.rfind("http://", 0) != 0)
            in.fail(value, path + ".base_url", "must start with https:// (or http:// for a test)");
        while (!stripe.baseUrl.empty() && stripe.baseUrl.back() == '/')
            stripe.baseUrl.pop_back();
    }
    if (const YAML::Node value = node["api_key_env"])
        stripe.apiKeyEnv = in.text(value, path + ".api_key_env", "an environment variable name");
    if (const YAML::Node value = node["roles"]) {
        stripe.roles = nameList(in, value, path + ".roles", "role");
        std::size_t i = 0;
        for (const auto& role : stripe.roles)
            in.requireRole(value.IsSequence() ? value[i++] : value, path + ".roles", role,
                           config.roles);
    }
    if (const YAML::Node value = node["case_types"])
        stripe.caseTypes = nameList(in, value, path + ".case_types", "case type");
    if (const YAML::Node value = node["timeout_ms"])
        stripe.timeout = std::chrono::milliseconds(in.whole(value, path + ".timeout_ms", 100, 300000));
    if (const YAML::Node value = node["max_attempts"])
        stripe.maxAttempts = std::uint32_t(in.whole(value, path + ".max_attempts", 1, 20));
    if (const YAML::Node value = node["retry_base_ms"])
        stripe.retryBase
            = std::chrono::milliseconds(in.whole(value, path + ".retry_base_ms", 1, 60000));
    if (const YAML::Node value = node["follow_ms"])
        stripe.followFor
            = std::chrono::milliseconds(in.whole(value, path + ".follow_ms", 0, 3600000));
    if (const YAML::Node value = node["webhook_secret_env"])
        stripe.webhookSecretEnv
            = in.text(value, path + ".webhook_secret_env", "an environment variable name");
    if (const YAML::Node value = node["webhook_tolerance_s"])
        stripe.webhookTolerance
            = std::chrono::seconds(in.whole(value, path + ".webhook_tolerance_s", 1, 3600));
}

void readExternalSettings(const YamlFields& in, const YAML::Node& node, const std::string& path,
                          const Config& config, ExternalPluginSettings& settings)
{
    static const std::regex envName("[A-Za-z_][A-Za-z0-9_]*");
    if (node.IsNull())
        return;
    in.checkKeys(node, path, { "env", "secret_env", "roles" });
    if (const YAML::Node env = node["env"]) {
        if (!env.IsMap())
            in.fail(env, path + ".env", "must be a map of variable name to value");
        for (const auto& kv : env) {
            const std::string name = in.text(kv.first, path + ".env", "a variable name");
            if (!std::regex_match(name, envName))
                in.fail(kv.first, path + ".env",
                        "\"" + name + "\" is not an environment variable name");
            if (!kv.second.IsScalar())
                in.fail(kv.second, keyPath(path + ".env", name), "must be a single value");
            settings.env[name] = kv.second.Scalar();
        }
    }
    if (const YAML::Node secrets = node["secret_env"]) {
        for (auto& [name, at] : in.names(secrets, path + ".secret_env", "variable name", true)) {
            if (!std::regex_match(name, envName))
                in.fail(at, path + ".secret_env",
                        "\"" + name + "\" is not an environment variable name");
            if (settings.env.count(name))
                in.fail(at, path + ".secret_env",
                        name + " is also under env; a variable is either a setting or a secret");
            settings.secretEnv.push_back(name);
        }
    }
    if (const YAML::Node roles = node["roles"]) {
        for (auto& [role, at] : in.names(roles, path + ".roles", "role", true)) {
            in.requireRole(at, path + ".roles", role, config.roles);
            settings.roles.push_back(role);
        }
    }
}

void readExternal(const YamlFields& in, const YAML::Node& node, Config& config)
{
    const std::string path = "plugins.external";
    in.checkKeys(node, path,
        { "dir", "call_timeout_ms", "run_timeout_ms", "start_timeout_ms", "restart_backoff_ms",
            "max_frame_bytes", "executables" });
    auto& external = config.plugins.external;
    if (!node["dir"])
        in.fail(node, path + ".dir",
                "is missing: name the directory whose executables are plugins");
    external.dir = in.text(node["dir"], path + ".dir", "a directory path");
    const auto ms = [&](const char* key, std::chrono::milliseconds& into, std::uint64_t min,
                        std::uint64_t max) {
        if (const YAML::Node value = node[key])
            into = std::chrono::milliseconds(in.whole(value, keyPath(path, key), min, max));
    };
    // offers and plan run on the writer thread: their bound stays short.
    ms("call_timeout_ms", external.callTimeout, 50, 10000);
    ms("run_timeout_ms", external.runTimeout, 100, 3600000);
    ms("start_timeout_ms", external.startTimeout, 100, 60000);
    ms("restart_backoff_ms", external.restartBackoff, 10, 600000);
    if (const YAML::Node value = node["max_frame_bytes"])
        external.maxFrameBytes = static_cast<std::size_t>(
            in.whole(value, path + ".max_frame_bytes", 1024, 64u << 20));
    if (const YAML::Node executables = node["executables"]; executables && !executables.IsNull()) {
        if (!executables.IsMap())
            in.fail(executables, path + ".executables",
                    "must be a map of executable file name to {env, secret_env, roles}");
        for (const auto& kv : executables) {
            const std::string file = in.text(kv.first, path + ".executables", "a file name");
            if (file.find('/') != std::string::npos || file == "." || file == "..")
                in.fail(kv.first, path + ".executables",
                        "\"" + file + "\" must be a file name in " + external.dir
                            + ", not a path");
            readExternalSettings(in, kv.second, keyPath(path + ".executables", file), config,
                                 external.executables[file]);
        }
    }
}

void readPlugins(const YamlFields& in, const YAML::Node& node, Config& config)
{
    if (node.IsNull())
        return;
    in.checkKeys(node, "plugins", { "workers", "stripe", "slack", "http", "external" });
    if (const YAML::Node value = node["workers"])
        config.plugins.workers = unsigned(in.whole(value, "plugins.workers", 1, 1024));
    if (const YAML::Node stripe = node["stripe"])
        readStripe(in, stripe, config);
    if (const YAML::Node slack = node["slack"])
        config.plugins.slack = PluginReader(in, config).readSlack(slack);
    if (const YAML::Node http = node["http"])
        config.plugins.http = PluginReader(in, config).readHttp(http);
    if (const YAML::Node external = node["external"])
        readExternal(in, external, config);
}

Config readConfig(const YamlFields& in, const YAML::Node& root)
{
    if (root.IsNull() || !root.IsDefined()) {
        in.fail(root, "",
            "the file is empty; expected a map with server, auth, roles, queues, default_queue and "
            "rules");
    }
    in.checkKeys(
        root, "", { "server", "auth", "roles", "queues", "default_queue", "rules", "plugins",
                    "intake", "triage" });

    Config config;
    config.source = in.fileName();
    if (root["server"]) {
        readServer(in, root["server"], config);
    }
    if (root["auth"]) {
        readAuth(in, root["auth"], config.auth);
    }
    readRoles(in, root["roles"], config);
    readQueues(in, root["queues"], config);
    if (const YAML::Node plugins = root["plugins"])
        readPlugins(in, plugins, config);
    config.intake = IntakeReader(in, config).readIntake(root["intake"]); // defaults when absent
    if (const YAML::Node triage = root["triage"])
        config.triage = IntakeReader(in, config).readTriage(triage);

    if (const YAML::Node node = root["default_queue"]) {
        config.defaultQueue = in.text(node, "default_queue", "the name of a queue");
        if (!config.queue(config.defaultQueue)) {
            in.fail(node, "default_queue",
                "queue " + config.defaultQueue + " is not defined under queues");
        }
    } else if (!config.queue(config.defaultQueue)) {
        in.fail(root["queues"] ? root["queues"] : root, "default_queue",
            "is not given and there is no queue named " + config.defaultQueue
                + "; name the queue that gets cases of unlisted types");
    }

    const YAML::Node rules = root["rules"];
    if (rules && !rules.IsNull()) {
        if (!rules.IsSequence()) {
            in.fail(rules, "rules", "must be a list of rules, each starting with - name: ...");
        }
        std::size_t i = 0;
        for (const auto& node : rules) {
            const std::string path = indexPath("rules", i++);
            Rule rule = RuleReader(in, config).read(node, path);
            for (const Rule& earlier : config.rules) {
                if (earlier.name == rule.name) {
                    in.fail(node["name"], keyPath(path, "name"),
                        "rule " + rule.name + " is already defined on line "
                            + std::to_string(earlier.line) + "; rule names must be unique");
                }
            }
            config.rules.push_back(std::move(rule));
        }
    }

    YAML::Emitter canonical;
    emitCanonical(
        canonical, rules && !rules.IsNull() ? rules : YAML::Node(YAML::NodeType::Sequence));
    config.rulesVersion = toHex(sha256(std::string_view(canonical.c_str(), canonical.size())));
    return config;
}

} // namespace

Expected<Config> parseConfig(const std::string& yamlText, const std::string& fileName)
{
    try {
        const YAML::Node root = YAML::Load(yamlText);
        return readConfig(YamlFields(fileName), root);
    } catch (const ConfigInvalid& invalid) {
        return fail("config.invalid", invalid.message);
    } catch (const YAML::Exception& e) {
        // Syntax errors, and anything yaml-cpp refuses while reading (its own messages are terse).
        const std::string line = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.line + 1);
        return fail("config.invalid", fileName + line + ": not valid YAML: " + e.msg);
    }
}

Expected<Config> loadConfigFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(
            "config.unreadable", path + ": cannot read the config file: " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        return fail("config.unreadable", path + ": cannot read the config file");
    }
    Expected<Config> config = parseConfig(text.str(), path);
    if (!config) {
        return config;
    }
    for (auto& source : config->intake.sources) {
        if (!source.maildir.empty() && std::filesystem::path(source.maildir).is_relative())
            source.maildir = (std::filesystem::path(path).parent_path() / source.maildir)
                                 .lexically_normal()
                                 .string();
    }
    // Certificate, plugin and triage paths are relative to the config file, so a config directory can be
    // moved whole.
    const std::filesystem::path base = std::filesystem::path(path).parent_path();
    for (std::string* file :
         { &config->tls.certFile, &config->tls.keyFile, &config->plugins.external.dir,
           &config->triage.starter, &config->triage.modelFile }) {
        if (!file->empty() && std::filesystem::path(*file).is_relative()) {
            *file = (base / *file).lexically_normal().string();
        }
    }
    return config;
}

} // namespace latch::core
