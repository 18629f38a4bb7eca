#pragma once
// What the core asks of the plugins when deciding a request_action: which actions apply to a case
// as it stands, and what exactly one would send (the plan). Both are pure: no network, no clock,
// called on the writer thread with the case under decision. Running a plan is the plugin host's
// work (server/plugins), after the action_requested event is durable.
#include "latch.pb.h"
#include "latch/expected.h"

#include <optional>
#include <string>
#include <vector>

namespace latch::core {

struct ActionSpec {
    std::string action; // "stripe.refund"
    std::string label; // "Refund via Stripe"
    std::string plugin; // "stripe"
    std::vector<std::string> roles; // roles that may run it; empty: anyone who may act on the case
    std::string inputSchema; // JSON Schema, defaults drawn from the case
};

struct PlannedAction {
    std::string plan; // JSON: method, URL, parameters; never a secret
    std::string summary; // "Refund 2,400.00 USD of pi_123 via Stripe"
};

class ActionCatalog {
public:
    virtual ~ActionCatalog() = default;
    // The actions that apply to `c` now.
    virtual std::vector<ActionSpec> offers(const v1::Case& c) const = 0;
    // The plan for `action` on `c`; fails (code and sentence) when the case lacks what it needs.
    virtual Expected<PlannedAction> plan(const v1::Case& c, const std::string& action) const = 0;
    // The roles that may run `action` (empty: anyone who may act on the case), also once the case
    // no longer fits the action's offer (cancelling a run needs them); nullopt when no plugin
    // here runs it.
    virtual std::optional<std::vector<std::string>> runRoles(
        const v1::Case& c, const std::string& action) const = 0;
};

} // namespace latch::core
