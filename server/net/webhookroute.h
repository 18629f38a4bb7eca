#pragma once
// Serves one webhook request (core/webhook.h) on an HTTP session: POST only (405), 503 while the
// server stops, 413 past the webhook's body limit; otherwise the webhook decides, and a command
// it names is submitted through the Service like a client's. The coroutine waits for the
// writer's answer without blocking its thread: the result is posted back to the session's
// executor.
#include "core/webhook.h"
#include "net/httproutes.h"
#include "net/hub.h"
#include "net/transport.h"

#include <string>

namespace latch::net {

// `request`, `hook` and `hub` must outlive the returned coroutine (the session awaits it).
asio::awaitable<HttpResponse> answerWebhook(
    Hub& hub, const core::Webhook& hook, const HttpRequest& request, const std::string& peer);

} // namespace latch::net
