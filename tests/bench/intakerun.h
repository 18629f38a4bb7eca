#pragma once
// What the intake and email scenarios share. It starts a latch-server (--demo) whose config is the
// base config with an `intake:` section appended (a webhook source and an email source, each with
// a bearer token the scenario makes up and passes in the environment), then:
//
// 1. delivers every body once over keep-alive HTTP connections (httpload.h): deliveries/s with a
//    201 "created", latency, and every other answer counted as an error;
// 2. delivers a sample of them again: each must answer 200 "duplicate" with the case the first
//    delivery opened, and the server's head seq must not move (nothing stored);
// 3. counts what the server stored (intakecensus.h) as an admin: exactly one case and one
//    intake_received event per delivery, the same cases the 201s named.
//
// Prints the figures and one RESULT line; returns 0 only when all of that checked out.
#include "scenarios.h"

#include <string>
#include <vector>

namespace latch::bench {

struct IntakeRunSpec {
    std::string scenario; // "intake" or "email": the RESULT line's name
    std::string channel; // "webhook" or "email"
    std::string noun; // "webhooks", "emails"
    std::vector<std::string> bodies; // one delivery each, every one new to the server
    std::vector<std::string> labels; // optional, one per body: answers are also counted by label
};

int runIntakeDeliveries(
    const CommonOptions& common, const IntakeOptions& options, const IntakeRunSpec& spec);

} // namespace latch::bench
