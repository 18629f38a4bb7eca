#pragma once
// An HTTP endpoint an external system calls: to report what happened on its side (Stripe's
// webhooks), or to deliver work (intake). The network layer hands it the raw request; it answers at once (a bad signature, an
// event it does not use) or names a command to submit, and turns the command's result into the
// answer. It does no I/O: the network layer submits the command through the Service, like every
// other command, so what it records is decided by the core.
//
// Threading: called on network threads, several at a time; implementations keep only immutable
// state. Owned by shared_ptr (the network layer holds it while serving).
#include "core/actor.h"
#include "latch.pb.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latch::core {

struct WebhookReply {
    unsigned status = 200; // the HTTP status
    std::string text; // a short body: one line of plain text, or a JSON document
    std::string contentType = "text/plain; charset=utf-8";
};

struct WebhookCall {
    std::string_view body; // the raw bytes, exactly as received
    std::string_view query; // the target's query string, without the '?'
    // A request header by name (case-insensitive); nullopt when absent.
    std::function<std::optional<std::string>(std::string_view name)> header;
    std::int64_t nowMs = 0; // the server's clock
};

// Either a reply now, or commands to submit as `actor`, in order (then answer() makes the reply
// from their results). Most deliveries are one command; an Alertmanager notification is one per
// alert.
struct WebhookDecision {
    std::optional<WebhookReply> reply;
    Actor actor;
    std::vector<v1::Command> commands;
};

class Webhook {
public:
    virtual ~Webhook() = default;
    virtual std::string path() const = 0; // "/hooks/stripe"
    virtual std::size_t maxBodyBytes() const = 0; // larger bodies are answered 413
    virtual WebhookDecision receive(const WebhookCall& call) const = 0;
    // The reply once the submitted commands were decided, or refused without being decided
    // (server.stopping, store.write: the sender should try again). One result per command.
    virtual WebhookReply answer(const std::vector<v1::CommandResult>& results) const = 0;
};

} // namespace latch::core
