#pragma once
// An HTTP endpoint an external system calls: to report what happened on its side (Stripe's
// webhooks), or to deliver work (intake, web forms). The network layer hands it the raw request;
// it answers at once (a bad signature, an event it does not use, a form page) or names a command
// to submit, and turns the command's result into the answer. It does no I/O: the network layer
// submits the command through the Service, like every other command, so what it records is
// decided by the core.
//
// Most endpoints take POST at one exact path; one may serve a whole path prefix (serves()) and
// answer GET too (allowsGet()), as the web forms under /forms/ do.
//
// Threading: called on network threads, several at a time; implementations keep only immutable
// state, or guard what they must count (a rate limit) with a lock of their own. Owned by
// shared_ptr (the network layer holds it while serving).
#include "core/actor.h"
#include "latch.pb.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latch::core {

struct WebhookReply {
    WebhookReply() = default;
    WebhookReply(unsigned code, std::string body)
        : status(code)
        , text(std::move(body))
    {
    }

    unsigned status = 200; // the HTTP status
    std::string text; // the body: one line of plain text, a JSON document or an HTML page
    std::string contentType = "text/plain; charset=utf-8";
    // More response headers (Set-Cookie, Retry-After); several with one name are all sent.
    std::vector<std::pair<std::string, std::string>> headers;
    // What the server log says of this reply; empty: the text (which must then be one line).
    std::string logText;
};

struct WebhookCall {
    std::string_view method; // "POST", or "GET" where the webhook allows it
    std::string_view path; // the target's path, without the query string
    std::string_view body; // the raw bytes, exactly as received
    std::string_view query; // the target's query string, without the '?'
    // A request header by name (case-insensitive); nullopt when absent.
    std::function<std::optional<std::string>(std::string_view name)> header;
    std::string_view peerAddress; // the client's IP address (the TCP peer, not a forwarded one)
    bool secure = false; // the request came over TLS
    std::int64_t nowMs = 0; // the server's clock
};

// Either a reply now, or commands to submit as `actor`, in order (then answer() makes the reply
// from their results). Most deliveries are one command; an Alertmanager notification is one per
// alert. A decision that needs what it saw in the request to answer (a form's confirmation page
// lists what was sent) carries its own `answer`, used instead of Webhook::answer().
struct WebhookDecision {
    std::optional<WebhookReply> reply;
    Actor actor;
    std::vector<v1::Command> commands;
    std::function<WebhookReply(const std::vector<v1::CommandResult>&)> answer;
};

class Webhook {
public:
    virtual ~Webhook() = default;
    virtual std::string path() const = 0; // "/hooks/stripe"
    // Whether a request for `path` (without its query) is this webhook's: by default, its path
    // exactly. A webhook serving a prefix ("/forms/") says so here.
    virtual bool serves(std::string_view target) const { return target == path(); }
    // GET requests are handed to receive() too; otherwise only POST is (405 for the rest).
    virtual bool allowsGet() const { return false; }
    virtual std::size_t maxBodyBytes() const = 0; // larger bodies are answered 413
    // The 413 answer for a body over `limit` bytes.
    virtual WebhookReply tooLarge(std::size_t limit) const
    {
        return {413, "request body larger than " + std::to_string(limit) + " bytes"};
    }
    virtual WebhookDecision receive(const WebhookCall& call) const = 0;
    // The reply once the submitted commands were decided, or refused without being decided
    // (server.stopping, store.write: the sender should try again). One result per command.
    virtual WebhookReply answer(const std::vector<v1::CommandResult>& results) const = 0;
};

} // namespace latch::core
