#pragma once
// Serves one webhook request (core/webhook.h) on an HTTP session: POST only (405), or GET and
// POST where the webhook allows GET; 503 while the server stops, 413 past the webhook's body
// limit; otherwise the webhook decides, and a command it names is submitted through the Service
// like a client's. The coroutine waits for the writer's answer without blocking its thread: the
// result is posted back to the session's executor.
#include "core/webhook.h"
#include "net/httproutes.h"
#include "net/hub.h"
#include "net/transport.h"

#include <string>

namespace latch::net {

// Who sent the request: "address:port" for the log, the address alone for rate limits, and
// whether it came over TLS.
struct WebhookPeer {
    std::string text;
    std::string address;
    bool secure = false;
};

// `request`, `hook` and `hub` must outlive the returned coroutine (the session awaits it).
asio::awaitable<HttpResponse> answerWebhook(
    Hub& hub, const core::Webhook& hook, const HttpRequest& request, const WebhookPeer& peer);

// The webhook's 413 answer when the body was over `limit` bytes before it was read whole; the
// connection closes after it (the rest of the body is never read).
HttpResponse webhookTooLarge(const core::Webhook& hook, std::size_t limit, unsigned version);

} // namespace latch::net
