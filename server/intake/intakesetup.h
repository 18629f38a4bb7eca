#pragma once
// Builds the intake endpoints the config asks for: one per channel that has a source, each with
// its sources' secrets read from the environment, and the web forms under /forms/ when any form
// is configured (forms have no secret: they are public pages). A secret that is not set stops
// the start with a sentence naming the source and the variable.
#include "core/config.h"
#include "core/webhook.h"
#include "latch/expected.h"

#include <memory>
#include <vector>

namespace latch::intake {

Expected<std::vector<std::shared_ptr<const core::Webhook>>> makeIntakeEndpoints(
    const core::Config& config);

} // namespace latch::intake
