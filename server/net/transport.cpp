#include "net/transport.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace latch::net {

std::shared_ptr<spdlog::logger> logger()
{
    static const std::shared_ptr<spdlog::logger> log = [] {
        if (auto existing = spdlog::get("net"))
            return existing;
        return spdlog::stdout_color_mt("net");
    }();
    return log;
}

bool isNormalDisconnect(const boost::system::error_code& ec)
{
    namespace error = asio::error;
    return ec == beast::websocket::error::closed || ec == error::eof
        || ec == error::operation_aborted || ec == error::not_connected
        || ec == error::connection_reset || ec == error::connection_aborted
        || ec == error::broken_pipe || ec == error::bad_descriptor
        || ec == beast::http::error::end_of_stream || ec == asio::ssl::error::stream_truncated;
}

void CoroutineDone::operator()(const std::exception_ptr& error) const
{
    if (!error)
        return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        logger()->error("{}: unexpected exception: {}", what, e.what());
    } catch (...) {
        logger()->error("{}: unexpected exception of unknown type", what);
    }
}

} // namespace latch::net
