#include "proof/proofendpoint.h"

namespace latch::proof {

namespace {

constexpr std::string_view kPrefix = "/.well-known/latch/";

core::WebhookDecision replyWith(unsigned status, std::string text)
{
    // The route ends every plain-text answer with a line break: the documents already end in one.
    if (!text.empty() && text.back() == '\n')
        text.pop_back();
    core::WebhookDecision d;
    core::WebhookReply reply(status, std::move(text));
    reply.headers.emplace_back("Cache-Control", "no-cache");
    d.reply = std::move(reply);
    return d;
}

} // namespace

ProofEndpoint::ProofEndpoint(std::shared_ptr<store::Checkpoints> checkpoints)
    : m_checkpoints(std::move(checkpoints))
{
}

bool ProofEndpoint::serves(std::string_view target) const
{
    return target.substr(0, kPrefix.size()) == kPrefix;
}

core::WebhookDecision ProofEndpoint::receive(const core::WebhookCall& call) const
{
    if (call.method != "GET") {
        auto d = replyWith(405, "GET only");
        d.reply->headers.emplace_back("Allow", "GET");
        return d;
    }
    const std::string_view name = call.path.substr(kPrefix.size());
    if (name == "log-keys") {
        std::string text;
        for (const auto& key : m_checkpoints->keys())
            text += key.verifierKey + "\n";
        auto d = replyWith(200, std::move(text));
        d.reply->logText = "log keys";
        return d;
    }
    if (name == "checkpoint") {
        const auto latest = m_checkpoints->latest();
        if (!latest)
            return replyWith(404, "no checkpoint issued yet");
        auto d = replyWith(200, latest->note);
        d.reply->logText = "checkpoint #" + std::to_string(latest->id);
        return d;
    }
    return replyWith(404, "no such document; try log-keys or checkpoint");
}

core::WebhookReply ProofEndpoint::answer(const std::vector<v1::CommandResult>&) const
{
    return {500, "no command to answer"};
}

} // namespace latch::proof
