#include "core/intakereader.h"

#include "core/formreader.h"

#include <algorithm>
#include <regex>

namespace latch::core {

namespace {

bool validEnvName(const std::string& name)
{
    static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
    return std::regex_match(name, pattern);
}

bool validSourceName(const std::string& name)
{
    static const std::regex pattern("[a-z0-9][a-z0-9._-]{0,63}");
    return std::regex_match(name, pattern);
}

} // namespace

const IntakeSourceConfig* IntakeConfig::source(const std::string& name) const
{
    for (const auto& s : sources) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

IntakeReader::IntakeReader(const YamlFields& in, const Config& config)
    : m_in(in)
    , m_config(config)
{
}

IntakeConfig IntakeReader::readIntake(const YAML::Node& node) const
{
    IntakeConfig intake;
    // Evidence travels in events to every client, so by default it keeps 64 KiB of a sync frame
    // free for the rest of the event: a server with small frames keeps sizes and hashes only.
    constexpr std::size_t kEventRoom = 64u << 10;
    const std::size_t frame = m_config.limits.maxFrameBytes;
    intake.maxEvidenceBytes
        = std::min(intake.maxEvidenceBytes, frame > kEventRoom ? frame - kEventRoom : 0);
    intake.maxAttachmentBytes = std::min(intake.maxAttachmentBytes, intake.maxEvidenceBytes);
    if (!node || node.IsNull())
        return intake;
    if (!node.IsMap())
        m_in.fail(node, "intake",
                  "must be a map with max_body_bytes, max_attachment_bytes, max_evidence_bytes, "
                  "sources and forms");
    m_in.checkKeys(node, "intake",
                   {"max_body_bytes", "max_attachment_bytes", "max_evidence_bytes", "sources",
                    "forms"});
    if (const YAML::Node value = node["max_body_bytes"])
        intake.maxBodyBytes = m_in.whole(value, "intake.max_body_bytes", 1024, 64u << 20);
    if (const YAML::Node value = node["max_attachment_bytes"])
        intake.maxAttachmentBytes = m_in.whole(value, "intake.max_attachment_bytes", 0, 768u << 10);
    if (const YAML::Node value = node["max_evidence_bytes"])
        intake.maxEvidenceBytes = m_in.whole(value, "intake.max_evidence_bytes", 0, 768u << 10);
    if (const YAML::Node value = node["max_evidence_bytes"];
        value && intake.maxEvidenceBytes + kEventRoom > frame)
        m_in.fail(value, "intake.max_evidence_bytes",
                  "must leave 64 KiB of server.limits.max_frame_bytes (" + std::to_string(frame)
                      + ") for the rest of the event, since evidence is synced to every client");
    intake.forms = FormReader(m_in, m_config).readForms(node["forms"]);
    const YAML::Node sources = node["sources"];
    if (!sources || sources.IsNull())
        return intake;
    if (!sources.IsSequence())
        m_in.fail(sources, "intake.sources", "must be a list of sources, each starting with - name: ...");
    std::size_t i = 0;
    for (const auto& item : sources) {
        const std::string path = indexPath("intake.sources", i++);
        IntakeSourceConfig source = readSource(item, path);
        if (const auto* earlier = intake.source(source.name)) {
            m_in.fail(item["name"], keyPath(path, "name"),
                      "source " + source.name + " is already defined on line "
                          + std::to_string(earlier->line) + "; source names must be unique");
        }
        intake.sources.push_back(std::move(source));
    }
    return intake;
}

IntakeSourceConfig IntakeReader::readSource(const YAML::Node& node, const std::string& path) const
{
    if (!node.IsMap())
        m_in.fail(node, path, "must be a map with name, channel and token_env or hmac_secret_env");
    m_in.checkKeys(node, path,
                   {"name", "channel", "token_env", "hmac_secret_env", "type", "queue", "maildir"});
    IntakeSourceConfig source;
    source.line = int(node.Mark().line) + 1;
    source.name = m_in.text(node["name"], keyPath(path, "name"), "the source's name");
    if (!validSourceName(source.name))
        m_in.fail(node["name"], keyPath(path, "name"),
                  "must be 1 to 64 lower-case letters, digits, '.', '_' or '-'");
    const std::string channel
        = m_in.text(node["channel"], keyPath(path, "channel"), "webhook, alertmanager or email");
    if (channel == "webhook")
        source.channel = IntakeChannel::Webhook;
    else if (channel == "alertmanager")
        source.channel = IntakeChannel::Alertmanager;
    else if (channel == "email")
        source.channel = IntakeChannel::Email;
    else
        m_in.fail(node["channel"], keyPath(path, "channel"),
                  "is '" + channel + "'; expected one of webhook, alertmanager, email");
    for (auto [key, out] : {std::pair{"token_env", &source.tokenEnv},
                            std::pair{"hmac_secret_env", &source.hmacSecretEnv}}) {
        if (const YAML::Node value = node[key]) {
            *out = m_in.text(value, keyPath(path, key), "an environment variable name");
            if (!validEnvName(*out))
                m_in.fail(value, keyPath(path, key), "'" + *out + "' is not an environment variable name");
        }
    }
    if (source.tokenEnv.empty() && source.hmacSecretEnv.empty())
        m_in.fail(node, path,
                  "source " + source.name
                      + " has neither token_env nor hmac_secret_env; every source proves who it "
                        "is with its own token or signature");
    if (source.channel == IntakeChannel::Alertmanager && source.tokenEnv.empty())
        m_in.fail(node, keyPath(path, "token_env"),
                  "is required for an alertmanager source: Alertmanager sends a bearer token "
                  "(http_config.authorization), it cannot sign bodies");
    if (const YAML::Node value = node["type"])
        source.type = m_in.text(value, keyPath(path, "type"), "a case type");
    if (const YAML::Node value = node["queue"]) {
        source.queue = m_in.text(value, keyPath(path, "queue"), "the name of a queue");
        if (!m_config.queue(source.queue))
            m_in.fail(value, keyPath(path, "queue"),
                      "queue " + source.queue + " is not defined under queues");
    }
    if (const YAML::Node value = node["maildir"]) {
        if (source.channel != IntakeChannel::Email)
            m_in.fail(value, keyPath(path, "maildir"), "is only for email sources");
        source.maildir = m_in.text(value, keyPath(path, "maildir"), "a Maildir directory");
    }
    return source;
}

TriageConfig IntakeReader::readTriage(const YAML::Node& node) const
{
    TriageConfig triage;
    if (node.IsNull())
        return triage;
    if (!node.IsMap())
        m_in.fail(node, "triage", "must be a map with enabled, starter, model_file and llm");
    m_in.checkKeys(node, "triage", {"enabled", "starter", "model_file", "llm"});
    if (const YAML::Node value = node["enabled"])
        triage.enabled = m_in.flag(value, "triage.enabled");
    if (const YAML::Node value = node["starter"])
        triage.starter = m_in.text(value, "triage.starter", "a JSONL file of labelled examples");
    if (const YAML::Node value = node["model_file"])
        triage.modelFile = m_in.text(value, "triage.model_file", "a file path");
    if (const YAML::Node llm = node["llm"]) {
        if (!llm.IsMap())
            m_in.fail(llm, "triage.llm", "must be a map with url, model, api_key_env and timeout_ms");
        m_in.checkKeys(llm, "triage.llm", {"url", "model", "api_key_env", "timeout_ms"});
        triage.llm.url = m_in.text(llm["url"], "triage.llm.url", "the chat-completions URL");
        if (triage.llm.url.rfind("http://", 0) != 0 && triage.llm.url.rfind("https://", 0) != 0)
            m_in.fail(llm["url"], "triage.llm.url", "must start with http:// or https://");
        triage.llm.model = m_in.text(llm["model"], "triage.llm.model", "the model's name");
        if (const YAML::Node value = llm["api_key_env"])
            triage.llm.apiKeyEnv = m_in.text(value, "triage.llm.api_key_env", "an environment variable name");
        if (const YAML::Node value = llm["timeout_ms"])
            triage.llm.timeout
                = std::chrono::milliseconds(m_in.whole(value, "triage.llm.timeout_ms", 100, 120000));
    }
    return triage;
}

} // namespace latch::core
