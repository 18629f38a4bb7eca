#include "store/storelog.h"

#include <memory>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace latch::store {

spdlog::logger& storeLog()
{
    static const std::shared_ptr<spdlog::logger> logger = [] {
        auto existing = spdlog::get("store");
        return existing ? existing : spdlog::stdout_color_mt("store");
    }();
    return *logger;
}

} // namespace latch::store
