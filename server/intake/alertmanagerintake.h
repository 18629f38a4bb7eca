#pragma once
// POST /intake/alertmanager: Prometheus Alertmanager's webhook (payload version 4). Each alert in
// a notification is one delivery, threaded by its fingerprint: the first firing opens a case, and
// repeats (Alertmanager's repeat_interval, a flapping alert) append to that case while it is
// open; a resolved alert says so on its case (Case.alert_status) even when the case was closed.
// An alert that fires again after its case was closed opens a new case.
//
// Threading: immutable after construction; from any network thread.
#include "intake/intakeendpoint.h"

namespace latch::intake {

class AlertmanagerIntake final : public IntakeEndpoint {
public:
    static constexpr const char* kPath = "/intake/alertmanager";
    static constexpr std::size_t kMaxAlerts = 200;

    AlertmanagerIntake(const core::Config& config, std::map<std::string, SourceSecrets> secrets);

protected:
    core::WebhookDecision deliver(const core::IntakeSourceConfig& source,
                                  const core::WebhookCall& call) const override;
};

} // namespace latch::intake
