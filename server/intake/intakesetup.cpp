#include "intake/intakesetup.h"

#include "intake/alertmanagerintake.h"
#include "intake/emailintake.h"
#include "intake/formendpoint.h"
#include "intake/webhookintake.h"

namespace latch::intake {

Expected<std::vector<std::shared_ptr<const core::Webhook>>> makeIntakeEndpoints(
    const core::Config& config)
{
    auto secrets = readSourceSecrets(config.intake);
    if (!secrets)
        return secrets.failure();
    const auto has = [&](core::IntakeChannel channel) {
        return std::any_of(config.intake.sources.begin(), config.intake.sources.end(),
                           [&](const auto& s) { return s.channel == channel; });
    };
    std::vector<std::shared_ptr<const core::Webhook>> endpoints;
    if (has(core::IntakeChannel::Webhook))
        endpoints.push_back(std::make_shared<WebhookIntake>(config, *secrets));
    if (has(core::IntakeChannel::Alertmanager))
        endpoints.push_back(std::make_shared<AlertmanagerIntake>(config, *secrets));
    if (has(core::IntakeChannel::Email))
        endpoints.push_back(std::make_shared<EmailIntake>(config, *secrets));
    if (!config.intake.forms.empty())
        endpoints.push_back(std::make_shared<FormEndpoint>(config)); // GET and POST /forms/<name>
    return endpoints;
}

} // namespace latch::intake
