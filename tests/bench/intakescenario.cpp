// Scenarios "intake" and "email": deliveries over HTTP to a latch-server they start themselves
// (intakerun.h does the run). This file makes the deliveries.
//
// intake: JSON to POST /intake/webhook, about 600 bytes each, shaped like a billing portal's refund
//         requests (title, description, customer, order, amount, sender, two fields), each with
//         its own idempotency_key.
// email:  raw messages to POST /intake/email, the generated kinds of emailcorpus.h in turn (all
//         four by default, so a quarter carry a 200 KB PDF), each with its own Message-ID.
#include "emailcorpus.h"
#include "intakerun.h"
#include "latch/ids.h"
#include "scenarios.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace latch::bench {

namespace {

struct Requester {
    const char* customer;
    const char* sender;
    const char* currency;
};

const std::array<Requester, 5> kRequesters { {
    { "Nordlicht Möbel GmbH", "billing@nordlicht-moebel.example", "EUR" },
    { "Brightwater Ltd", "accounts@brightwater.example", "GBP" },
    { "Acme Co", "billing@acme.example", "USD" },
    { "Casa Ortega S.L.", "facturas@casa-ortega.example", "EUR" },
    { "Patel Logistics", "finance@patel-logistics.example", "USD" },
} };

const std::array<const char*, 4> kReasons {
    "Double charge on the November invoice: the card was debited twice within a minute, once "
    "by the web shop and once by the retry of the payment provider.",
    "Goods returned unopened within the 30-day window; the warehouse confirmed receipt and the "
    "return label was scanned by the carrier.",
    "Subscription cancelled before renewal, but the annual fee was collected anyway because the "
    "cancellation was stuck in the old billing system.",
    "Partial delivery: two of the five items on the order never arrived and the carrier has "
    "closed its investigation as lost in transit.",
};

std::string webhookBody(const std::string& run, std::size_t i)
{
    const Requester& r = kRequesters[i % kRequesters.size()];
    const std::string order = std::to_string(480000 + i);
    const std::size_t cents = 1999 + (i * 7919) % 480000;
    const std::string amount = std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "")
        + std::to_string(cents % 100) + " " + r.currency;
    nlohmann::json body {
        { "idempotency_key", "bench-" + run + "-" + std::to_string(i) },
        { "title", "Refund request: " + std::string(r.customer) + " order #" + order },
        { "type", "refund" },
        { "description",
            std::string(kReasons[i % kReasons.size()])
                + " The customer asks for the amount to go back to the original payment method "
                  "and for a corrected invoice. Portal ticket opened by the customer's accounts "
                  "team." },
        { "customer", r.customer },
        { "order_ref", order },
        { "amount", amount },
        { "sender", r.sender },
        { "fields",
            { { "payment_intent", "pi_3Nw" + std::to_string(7000000 + i * 13) + "Bench" },
                { "portal_ticket", "T-" + std::to_string(90000 + i) } } },
    };
    return body.dump();
}

} // namespace

int runIntake(const CommonOptions& common, const IntakeOptions& options)
{
    IntakeRunSpec spec { "intake", "webhook", "webhooks", {}, {} };
    const std::string run = newUuid().substr(0, 8);
    spec.bodies.reserve(options.deliveries);
    for (std::size_t i = 0; i < options.deliveries; ++i)
        spec.bodies.push_back(webhookBody(run, i));
    return runIntakeDeliveries(common, options, spec);
}

int runEmail(const CommonOptions& common, const IntakeOptions& options)
{
    std::vector<MailKind> kinds;
    for (const auto& name : options.mailKinds) {
        const auto kind = std::find_if(kMailKinds.begin(), kMailKinds.end(),
            [&name](MailKind k) { return kindName(k) == name; });
        if (kind == kMailKinds.end())
            throw std::invalid_argument("unknown kind of e-mail '" + name
                + "'; choose from plain, alternative-qp, html-only, pdf-200k");
        kinds.push_back(*kind);
    }
    if (kinds.empty())
        kinds.assign(kMailKinds.begin(), kMailKinds.end());

    IntakeRunSpec spec { "email", "email", "emails", {}, {} };
    const std::string run = newUuid().substr(0, 8);
    spec.bodies.reserve(options.deliveries);
    for (std::size_t i = 0; i < options.deliveries; ++i) {
        const MailKind kind = kinds[i % kinds.size()];
        spec.bodies.push_back(makeMessage(kind, i / kinds.size(),
            "bench-" + run + "-" + std::to_string(i) + "@latch-bench.example"));
        spec.labels.emplace_back(kindName(kind));
    }
    return runIntakeDeliveries(common, options, spec);
}

} // namespace latch::bench
