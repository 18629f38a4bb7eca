#pragma once
// The "store" spdlog logger, created on first use (or taken from the registry when the server
// made it already).
#include <spdlog/logger.h>

namespace latch::store {

spdlog::logger& storeLog();

} // namespace latch::store
