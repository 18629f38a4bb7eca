#pragma once
// GET /.well-known/latch/log-keys: every public key that ever signed a checkpoint of this
// server's audit log, one signed-note verifier key per line, the current one last (old keys stay
// valid for the checkpoints they signed). GET /.well-known/latch/checkpoint: the newest signed
// checkpoint. Public: they are what a third party verifies an exported case with.
//
// Threading: as core::Webhook (Checkpoints has its own lock).
#include "core/webhook.h"
#include "store/checkpoints.h"

#include <memory>

namespace latch::proof {

class ProofEndpoint final : public core::Webhook {
public:
    explicit ProofEndpoint(std::shared_ptr<store::Checkpoints> checkpoints);

    std::string path() const override { return "/.well-known/latch/"; }
    bool serves(std::string_view target) const override;
    bool allowsGet() const override { return true; }
    std::size_t maxBodyBytes() const override { return 0; }
    core::WebhookDecision receive(const core::WebhookCall& call) const override;
    core::WebhookReply answer(const std::vector<v1::CommandResult>& results) const override;

private:
    std::shared_ptr<store::Checkpoints> m_checkpoints;
};

} // namespace latch::proof
