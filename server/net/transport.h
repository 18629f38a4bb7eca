#pragma once
// What every part of the network layer shares: the two stream types a connection runs on (plain
// TCP or TLS over TCP, chosen once at start for the whole port), the "net" logger, which socket
// errors are ordinary disconnects, and the completion handler for every coroutine we spawn.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <spdlog/logger.h>

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace latch::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
inline constexpr bool isTls = std::is_same_v<Stream, TlsStream>;

// The completion token every I/O call uses: errors come back as an error_code, never thrown.
inline auto withError(boost::system::error_code& ec)
{
    return asio::redirect_error(asio::use_awaitable, ec);
}

// Runs `work` — a blocking call into the core: password hashing, a snapshot, a query — on
// `pool` instead of an I/O thread, and resumes the awaiting coroutine on its own executor (the
// connection's strand) with the result. An exception from `work` is rethrown in the caller.
template <class Work>
asio::awaitable<std::invoke_result_t<Work&>> offload(const asio::any_io_executor& pool, Work work)
{
    using Result = std::invoke_result_t<Work&>;
    co_return co_await asio::co_spawn(
        pool, [work = std::move(work)]() mutable -> asio::awaitable<Result> { co_return work(); },
        asio::use_awaitable);
}

std::shared_ptr<spdlog::logger> logger();

// Peer went away, we closed, or the operation was cancelled by a shutdown: logged at debug.
bool isNormalDisconnect(const boost::system::error_code& ec);

// co_spawn completion: a coroutine ended. An exception escaping one is a bug; it is logged with
// `what` and goes no further, so no exception ever leaves a handler.
struct CoroutineDone {
    const char* what;
    void operator()(const std::exception_ptr& error) const;
};

} // namespace latch::net
