#pragma once
// A Slack incoming webhook on 127.0.0.1: POST a JSON message ({"text": ...} and/or "blocks", or
// "attachments") to the hook's path and get 200 "ok"; anything Slack would refuse gets Slack's
// status and its plain-text error string ("invalid_payload", "no_service", ...). The form-encoded
// variant (payload=<json>) is accepted too. Tests inject Slack's other refusals with failNext()
// and read the messages Slack would have posted with messages().
//
// Threading and ownership: as FakeHttpServer.
#include "fakehttpserver.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace latch::fakes {

class FakeSlack final : public FakeHttpServer {
public:
    // Slack's documented incoming-webhook refusals that depend on the workspace, not the payload.
    enum class Refusal {
        ActionProhibited, // 403 action_prohibited
        PostingToGeneralChannelDenied, // 403 posting_to_general_channel_denied
        InvalidToken, // 403 invalid_token
        ChannelNotFound, // 404 channel_not_found
        NoTeam, // 404 no_team
        ChannelIsArchived, // 410 channel_is_archived
        RollupError, // 500 rollup_error
    };

    static constexpr const char* kDefaultPath = "/services/T000/B000/XXXX";

    FakeSlack();
    ~FakeSlack() override;

    void setPath(std::string path);
    std::string path() const;
    std::string webhookUrl() const { return url(path()); }

    // The next message is refused the way Slack refuses it; nothing is posted.
    void failNext(Refusal refusal);
    // The next message gets 429 "rate_limited" with Retry-After: `retryAfterSeconds`.
    void rateLimitNext(int retryAfterSeconds = 1);
    static Response refusal(Refusal refusal);

    // The messages accepted (answered 200 ok), parsed, in arrival order.
    std::vector<nlohmann::json> messages() const;
    void clearMessages();

private:
    Response handle(const Request& request);

    mutable std::mutex m_stateMutex;
    std::string m_path = kDefaultPath;
    std::vector<nlohmann::json> m_messages;
};

} // namespace latch::fakes
