#pragma once
// The few terminal facts latchctl needs: whether output goes to a person, and reading a password
// from the controlling terminal without echoing it.
#include "latch/expected.h"

#include <string>

namespace latch::cli {

// True when stdout is a terminal and NO_COLOR is unset.
bool colorOutput();

// Prompts on /dev/tty with echo off. Failure client.usage when there is no terminal to ask on.
Expected<std::string> promptPassword(const std::string& prompt);

} // namespace latch::cli
