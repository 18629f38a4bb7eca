#pragma once
// The app's guess, from the case as last synced, at whether the signed-in user may approve a case
// and if not why. It only shapes the screens (the "waiting for my approval" filter, a disabled
// Approve button with its reason); the server decides every approval and records refused attempts.
// Mirrors the server's order of checks so the reason shown matches the refusal the server would
// give.
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace latch::app {

struct ApproveHint {
    enum class Block {
        None, // looks allowed
        NotAwaiting, // the case is not awaiting approval
        Preparer, // the user marked it ready
        Requester, // the user created it
        AlreadyApproved, // the user's approval is already in
        NoOpenStage, // no stage is waiting (or the case carries no stages)
        Role, // the open stage needs a role the user does not have
    };
    Block block = Block::NotAwaiting;
    QStringList neededRoles; // the open stage's roles (Role, None)

    bool allowed() const { return block == Block::None; }
};

// `stages` are (approvals needed, roles) in order; approvals fill them in order, as on the server.
ApproveHint approveHint(const QString& status, const QString& preparer, const QString& requester,
    const QStringList& approvers, const std::vector<std::pair<int, QStringList>>& stages,
    const QString& me, const QStringList& myRoles);

} // namespace latch::app
