#include "intake/intakeendpoint.h"

#include "latch/hashing.h"
#include "latch/ids.h"
#include "plugins/stripesignature.h"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace latch::intake {

namespace {

using json = nlohmann::json;

// The signature's time may be this far from the server's clock either way.
constexpr std::chrono::seconds kSignatureTolerance{300};

std::string_view channelName(core::IntakeChannel channel)
{
    switch (channel) {
    case core::IntakeChannel::Webhook:
        return "webhook";
    case core::IntakeChannel::Alertmanager:
        return "alertmanager";
    case core::IntakeChannel::Email:
        return "email";
    }
    return "";
}

std::string queryValue(std::string_view query, std::string_view name)
{
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name)
            return eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
        if (amp == std::string_view::npos)
            break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

bool sameSecret(std::string_view given, std::string_view expected)
{
    // Compared in constant time over the expected length; a different length is a mismatch.
    return given.size() == expected.size()
        && CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

bool retryable(const std::string& code)
{
    return code == "server.stopping" || code == "store.write" || code == "store.read";
}

} // namespace

Expected<std::map<std::string, SourceSecrets>> readSourceSecrets(const core::IntakeConfig& intake)
{
    std::map<std::string, SourceSecrets> out;
    for (const auto& source : intake.sources) {
        SourceSecrets secrets;
        for (auto [variable, value] : {std::pair{&source.tokenEnv, &secrets.token},
                                       std::pair{&source.hmacSecretEnv, &secrets.hmacSecret}}) {
            if (variable->empty())
                continue;
            const char* set = std::getenv(variable->c_str());
            if (!set || std::string_view(set).size() < 16)
                return fail("intake.secret_missing",
                            "intake source " + source.name + ": the environment variable "
                                + *variable + (set ? " holds fewer than 16 characters" : " is not set")
                                + "; put the source's secret (16 characters or more) in it");
            *value = set;
        }
        out.emplace(source.name, std::move(secrets));
    }
    return out;
}

std::string signBody(std::string_view body, std::string_view secret, std::int64_t unixSeconds)
{
    const std::string t = std::to_string(unixSeconds);
    const std::string signed_ = t + "." + std::string(body);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), int(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_.data()), signed_.size(), mac, &length);
    return "t=" + t + ",v1=" + toHex(std::string_view(reinterpret_cast<const char*>(mac), length));
}

core::WebhookReply errorReply(unsigned status, const std::string& code, const std::string& message)
{
    core::WebhookReply reply;
    reply.status = status;
    reply.contentType = "application/json";
    reply.text = json{{"error", {{"code", code}, {"message", message}}}}.dump();
    return reply;
}

core::WebhookDecision errorDecision(unsigned status, const std::string& code,
                                    const std::string& message)
{
    core::WebhookDecision d;
    d.reply = errorReply(status, code, message);
    return d;
}

v1::Evidence makeEvidence(std::string name, std::string contentType, std::string_view data,
                          std::size_t limit)
{
    v1::Evidence e;
    e.set_name(std::move(name));
    e.set_content_type(std::move(contentType));
    e.set_size(data.size());
    e.set_sha256(digestBytes(sha256(data)));
    if (data.size() <= limit) {
        e.set_data(std::string(data));
        e.set_kept(true);
    } else {
        e.set_note("larger than the " + std::to_string(limit)
                   + "-byte limit for evidence; its size and SHA-256 are kept");
    }
    return e;
}

std::string deliveryKey(std::string_view channel, const std::string& source,
                        std::string_view deliveryId)
{
    const bool plain = !deliveryId.empty() && deliveryId.size() <= 200
        && std::all_of(deliveryId.begin(), deliveryId.end(),
                       [](unsigned char ch) { return ch > 0x20 && ch < 0x7f; });
    return std::string(channel) + ":" + source + ":"
        + (plain ? std::string(deliveryId) : "sha256-" + toHex(sha256(deliveryId)));
}

IntakeEndpoint::IntakeEndpoint(const core::Config& config,
                               std::map<std::string, SourceSecrets> secrets,
                               core::IntakeChannel channel, std::string path)
    : m_config(config)
    , m_secrets(std::move(secrets))
    , m_channel(channel)
    , m_path(std::move(path))
{
}

core::WebhookReply IntakeEndpoint::tooLarge(std::size_t limit) const
{
    return errorReply(413, "intake.too_large",
                      "the body is larger than intake.max_body_bytes (" + std::to_string(limit)
                          + " bytes); nothing was stored");
}

core::WebhookDecision IntakeEndpoint::receive(const core::WebhookCall& call) const
{
    std::string name = queryValue(call.query, "source");
    if (name.empty()) {
        if (auto header = call.header("X-Latch-Source"))
            name = *header;
    }
    const core::IntakeSourceConfig* source = nullptr;
    if (name.empty()) {
        // With a single source on this channel, it need not be named.
        for (const auto& s : m_config.intake.sources) {
            if (s.channel != m_channel)
                continue;
            if (source)
                return errorDecision(400, "intake.source_required",
                                     "name the source with ?source=NAME or an X-Latch-Source header");
            source = &s;
        }
    } else {
        source = m_config.intake.source(name);
        if (source && source->channel != m_channel)
            source = nullptr;
    }
    if (!source)
        return errorDecision(404, "intake.unknown_source",
                             name.empty() ? "no " + std::string(channelName(m_channel))
                                     + " source is configured"
                                          : "there is no " + std::string(channelName(m_channel))
                                     + " source named '" + name + "'");
    if (auto refused = authenticate(*source, call)) {
        core::WebhookDecision d;
        d.reply = std::move(*refused);
        return d;
    }
    core::WebhookDecision d = deliver(*source, call);
    d.actor = core::Actor{"intake", "intake", {}};
    for (auto& command : d.commands) {
        if (command.command_id().empty())
            command.set_command_id(newUuid());
    }
    return d;
}

std::optional<core::WebhookReply> IntakeEndpoint::authenticate(
    const core::IntakeSourceConfig& source, const core::WebhookCall& call) const
{
    const auto it = m_secrets.find(source.name);
    if (it == m_secrets.end())
        return errorReply(503, "intake.not_ready", "the source's secret was not loaded");
    const SourceSecrets& secrets = it->second;
    // A source with a token accepts it; a source with an HMAC secret accepts a signed body.
    // Either one proves the caller.
    std::string failure = "intake.unauthorized";
    if (!secrets.token.empty()) {
        if (auto header = call.header("Authorization")) {
            constexpr std::string_view scheme = "Bearer ";
            if (header->size() > scheme.size()
                && std::equal(scheme.begin(), scheme.end(), header->begin(),
                              [](char a, char b) { return std::tolower(a) == std::tolower(b); })
                && sameSecret(std::string_view(*header).substr(scheme.size()), secrets.token))
                return std::nullopt;
            failure = "intake.bad_token";
        }
    }
    if (!secrets.hmacSecret.empty()) {
        if (auto header = call.header("X-Latch-Signature")) {
            const auto check = plugins::verifyStripeSignature(
                *header, call.body, secrets.hmacSecret, call.nowMs / 1000, kSignatureTolerance);
            if (check == plugins::SignatureCheck::Valid)
                return std::nullopt;
            return errorReply(403, "intake.bad_signature",
                              "X-Latch-Signature: " + std::string(plugins::describe(check)));
        }
    }
    auto reply = errorReply(
        401, failure,
        failure == "intake.bad_token"
            ? "the bearer token is not the one for source " + source.name
            : "source " + source.name + " needs "
                + (secrets.token.empty() ? std::string("an X-Latch-Signature header")
                                         : std::string("an Authorization: Bearer header")));
    return reply;
}

core::WebhookReply IntakeEndpoint::answer(const std::vector<v1::CommandResult>& results) const
{
    json cases = json::array();
    bool created = false;
    for (const auto& r : results) {
        if (!r.accepted()) {
            if (retryable(r.code()))
                return errorReply(503, r.code(), r.message() + " Nothing was stored; send it again.");
            return errorReply(422, r.code(), r.message());
        }
        const bool duplicate = r.code() == "intake.duplicate";
        const bool opened = r.code() == "intake.opened";
        created = created || opened;
        cases.push_back(json{{"case_id", r.case_id()},
                             {"result", duplicate ? "duplicate" : opened ? "created" : "appended"}});
    }
    core::WebhookReply reply;
    reply.status = created ? 201 : 200;
    reply.contentType = "application/json";
    if (cases.size() == 1)
        reply.text = cases.front().dump();
    else
        reply.text = json{{"cases", cases}}.dump();
    return reply;
}

} // namespace latch::intake
