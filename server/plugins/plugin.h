#pragma once
// A plugin connects Latch to one external system. It offers the actions that apply to a case,
// plans one (exactly what would be sent; pure, so the writer can decide with it), and runs a
// planned action when the host asks. The host (PluginHost) does everything around a run:
// permission and gate (through the core), the durable request, the worker, redaction and
// recording the result.
//
// Threading: offers() and plan() are called on the writer thread and on query threads at once;
// run() on host worker threads, possibly several at a time. Implementations keep no mutable
// state outside run()'s locals, or guard it.
#include "core/actioncatalog.h"
#include "latch.pb.h"
#include "latch/expected.h"
#include "plugins/runcontrol.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latch::plugins {

struct RunRequest {
    v1::Case c; // the case as it stands when the run starts
    v1::ActionRequested requested; // the plan, the idempotency key
    std::int64_t requestedMs = 0; // when the request was recorded
    const std::atomic<bool>* stopping
        = nullptr; // the server is shutting down: give up, record nothing
    // An earlier start left this run without a result (a crash or a stop): a call it made then
    // may have reached the external system. Plugins whose system has no idempotency key use it
    // to report the outcome as unknown instead of sending again.
    bool resumed = false;
    // Cancels, and the calls that went out (null: the run cannot be canceled). A plugin calls
    // control->beginCall() before every call that could make the external system act and makes
    // none once it returns false.
    RunControl* control = nullptr;
};

class Plugin {
public:
    virtual ~Plugin() = default;
    virtual std::string name() const = 0; // "stripe"; actions are "<name>.<verb>"
    virtual std::vector<core::ActionSpec> offers(const v1::Case& c) const = 0;
    virtual Expected<core::PlannedAction> plan(
        const v1::Case& c, const std::string& action) const = 0;
    // Blocks until the run has an outcome: state SUCCEEDED, FAILED or UNKNOWN with what was sent
    // and what came back. Returns state UNSPECIFIED when `stopping` cut it short (the host resumes
    // it at the next start, with the same key). Once canceled, it sends nothing more: FAILED with
    // code "action.canceled" when nothing it sent could have acted, otherwise the outcome it can
    // establish without acting (a look-up), or UNKNOWN.
    virtual v1::ActionFinished run(const RunRequest& request) = 0;
    // The roles that may run `action` whatever the case holds (empty: anyone who may act on the
    // case). nullopt: the host takes them from offers() for the case.
    virtual std::optional<std::vector<std::string>> rolesFor(const std::string& action) const
    {
        return std::nullopt;
    }
    // Values that must never appear in anything recorded or logged (API keys).
    virtual std::vector<std::string> secrets() const { return {}; }
};

} // namespace latch::plugins
