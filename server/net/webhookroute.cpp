#include "net/webhookroute.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <memory>

namespace latch::net {

namespace http = beast::http;

namespace {

// Submits `command` and completes with its result on the awaiting coroutine's executor. The
// Service calls back on the writer thread, which only posts the result on.
template <class Token>
auto asyncSubmit(
    core::Service& service, const core::Actor& actor, const v1::Command& command, Token&& token)
{
    return asio::async_initiate<Token, void(v1::CommandResult)>(
        [&service, &actor, &command](auto handler) {
            using Handler = decltype(handler);
            auto shared = std::make_shared<Handler>(std::move(handler));
            service.submit(actor, command, [shared](const v1::CommandResult& result) {
                auto executor = asio::get_associated_executor(*shared);
                asio::post(executor, [shared, result]() mutable { (*shared)(result); });
            });
        },
        token);
}

HttpResponse replyResponse(unsigned version, bool keepAlive, const core::WebhookReply& reply)
{
    // A short plain-text or JSON answer ends with a line break, as it always has; a page is sent
    // as the webhook wrote it.
    const bool page = reply.contentType.rfind("text/html", 0) == 0;
    auto response = textResponse(static_cast<http::status>(reply.status), version, keepAlive,
                                 page ? reply.text : reply.text + "\n");
    response.set(http::field::content_type, reply.contentType);
    if (reply.status == 503)
        response.set(http::field::retry_after, "5");
    if (reply.status == 401)
        response.set(http::field::www_authenticate, "Bearer");
    for (const auto& [name, value] : reply.headers) {
        const beast::string_view field(name.data(), name.size());
        if (beast::iequals(field, "Retry-After") || beast::iequals(field, "Allow"))
            response.set(field, value); // the webhook's own value wins
        else
            response.insert(field, value);
    }
    response.prepare_payload();
    return response;
}

} // namespace

asio::awaitable<HttpResponse> answerWebhook(
    Hub& hub, const core::Webhook& hook, const HttpRequest& request, const WebhookPeer& peer)
{
    const std::string_view path = requestPath(request);
    const bool get = request.method() == http::verb::get && hook.allowsGet();
    if (request.method() != http::verb::post && !get) {
        auto response = textResponse(http::status::method_not_allowed, request.version(),
            request.keep_alive(), hook.allowsGet() ? "use GET or POST\n" : "use POST\n");
        response.set(http::field::allow, hook.allowsGet() ? "GET, POST" : "POST");
        co_return response;
    }
    core::WebhookReply reply;
    if (!hub.accepting()) {
        reply = { 503, "the server is stopping; send it again later" };
    } else if (request.body().size() > hook.maxBodyBytes()) {
        reply = hook.tooLarge(hook.maxBodyBytes());
    } else {
        core::WebhookCall call;
        call.method = get ? "GET" : "POST";
        call.path = path;
        call.body = request.body();
        call.header = [&request](std::string_view name) -> std::optional<std::string> {
            const auto it = request.find(beast::string_view(name.data(), name.size()));
            if (it == request.end())
                return std::nullopt;
            return std::string(it->value());
        };
        const std::string_view target(request.target().data(), request.target().size());
        if (const auto mark = target.find('?'); mark != std::string_view::npos)
            call.query = target.substr(mark + 1);
        call.peerAddress = peer.address;
        call.secure = peer.secure;
        call.nowMs = core::systemNowMs();
        core::WebhookDecision decision = hook.receive(call);
        if (decision.reply) {
            reply = std::move(*decision.reply);
        } else {
            std::vector<v1::CommandResult> results;
            for (const v1::Command& command : decision.commands) {
                results.push_back(co_await asyncSubmit(
                    hub.service(), decision.actor, command, asio::use_awaitable));
            }
            reply = results.empty() ? core::WebhookReply{200, "nothing to record"}
                : decision.answer ? decision.answer(results)
                                  : hook.answer(results);
        }
    }
    // The reply says what happened in a sentence of ours; secrets and bodies are never logged.
    const std::string& said = reply.logText.empty() ? reply.text : reply.logText;
    if (reply.status >= 500)
        logger()->warn("webhook {} from {}: {} {}", path, peer.text, reply.status, said);
    else
        logger()->info("webhook {} from {}: {} {}", path, peer.text, reply.status, said);
    co_return replyResponse(request.version(), request.keep_alive(), reply);
}

HttpResponse webhookTooLarge(const core::Webhook& hook, std::size_t limit, unsigned version)
{
    return replyResponse(version, false, hook.tooLarge(limit));
}

} // namespace latch::net
