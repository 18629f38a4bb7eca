#pragma once
// `latch-server --demo`: the people of the refund story and a few cases, so a new installation
// has something to look at. Seeding is idempotent: users that exist and a non-empty store are kept.
#include "core/service.h"

namespace latch {

inline constexpr const char* demoPassword = "latch-demo";

// Creates the demo users (password "latch-demo"), "admin" among them, unless they exist.
void seedDemoUsers(core::Service& service);
// When the store holds no event yet, creates the demo cases through the same command path users
// take. Needs the service started.
void seedDemoCases(core::Service& service);

} // namespace latch
