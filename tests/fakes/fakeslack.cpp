#include "fakeslack.h"

#include "formencoding.h"

namespace latch::fakes {

namespace {

// What Slack answers: a status and a bare error string, never JSON.
Response slackText(unsigned status, const char* body)
{
    return Response::text(status, body);
}

bool isFormEncoded(const Request& request)
{
    const auto type = request.header("Content-Type").value_or("");
    return equalsIgnoringCase(type.substr(0, type.find(';')), "application/x-www-form-urlencoded");
}

// The message in a request body: JSON, or the form field `payload` holding JSON.
nlohmann::json parseMessage(const Request& request)
{
    if (!isFormEncoded(request))
        return nlohmann::json::parse(request.body, nullptr, false);
    for (const auto& [name, value] : parseForm(request.body))
        if (name == "payload")
            return nlohmann::json::parse(value, nullptr, false);
    return nlohmann::json::value_t::discarded;
}

} // namespace

FakeSlack::FakeSlack()
    : FakeHttpServer([this](const Request& request) { return handle(request); })
{
}

FakeSlack::~FakeSlack()
{
    stop(); // the handler reads members below
}

void FakeSlack::setPath(std::string path)
{
    std::lock_guard lock(m_stateMutex);
    m_path = std::move(path);
}

std::string FakeSlack::path() const
{
    std::lock_guard lock(m_stateMutex);
    return m_path;
}

void FakeSlack::failNext(Refusal refusal)
{
    inject(Fault::respond(FakeSlack::refusal(refusal)));
}

void FakeSlack::rateLimitNext(int retryAfterSeconds)
{
    auto response = slackText(429, "rate_limited");
    response.setHeader("Retry-After", std::to_string(retryAfterSeconds));
    inject(Fault::respond(std::move(response)));
}

Response FakeSlack::refusal(Refusal refusal)
{
    switch (refusal) {
    case Refusal::ActionProhibited:
        return slackText(403, "action_prohibited");
    case Refusal::PostingToGeneralChannelDenied:
        return slackText(403, "posting_to_general_channel_denied");
    case Refusal::InvalidToken:
        return slackText(403, "invalid_token");
    case Refusal::ChannelNotFound:
        return slackText(404, "channel_not_found");
    case Refusal::NoTeam:
        return slackText(404, "no_team");
    case Refusal::ChannelIsArchived:
        return slackText(410, "channel_is_archived");
    case Refusal::RollupError:
        return slackText(500, "rollup_error");
    }
    return slackText(500, "rollup_error");
}

std::vector<nlohmann::json> FakeSlack::messages() const
{
    std::lock_guard lock(m_stateMutex);
    return m_messages;
}

void FakeSlack::clearMessages()
{
    std::lock_guard lock(m_stateMutex);
    m_messages.clear();
}

Response FakeSlack::handle(const Request& request)
{
    std::lock_guard lock(m_stateMutex);
    if (request.path() != m_path)
        return slackText(404, "no_service");
    if (request.method != "POST") {
        auto refused = slackText(405, "invalid_method");
        refused.setHeader("Allow", "POST");
        return refused;
    }
    const nlohmann::json message = parseMessage(request);
    if (!message.is_object())
        return slackText(400, "invalid_payload");
    const bool hasText = message.contains("text") && message["text"].is_string()
        && !message["text"].get<std::string>().empty();
    const bool hasBlocks = message.contains("blocks");
    const bool hasAttachments = message.contains("attachments");
    if (message.contains("text") && !message["text"].is_string())
        return slackText(400, "invalid_payload");
    if (!hasText && !hasBlocks && !hasAttachments)
        return slackText(400, "invalid_payload");
    if (hasBlocks) {
        const auto& blocks = message["blocks"];
        if (!blocks.is_array())
            return slackText(400, "invalid_blocks_format");
        for (const auto& block : blocks)
            if (!block.is_object() || !block.contains("type") || !block["type"].is_string())
                return slackText(400, "invalid_blocks");
    }
    if (hasAttachments && !message["attachments"].is_array())
        return slackText(400, "invalid_payload");
    m_messages.push_back(message);
    return slackText(200, "ok");
}

} // namespace latch::fakes
