#include "models/approvalhint.h"

namespace latch::app {

ApproveHint approveHint(const QString& status, const QString& preparer, const QString& requester,
    const QStringList& approvers, const std::vector<std::pair<int, QStringList>>& stages,
    const QString& me, const QStringList& myRoles)
{
    ApproveHint hint;
    if (status != QLatin1String("awaiting_approval") || me.isEmpty())
        return hint;
    if (me == preparer) {
        hint.block = ApproveHint::Block::Preparer;
        return hint;
    }
    if (me == requester) {
        hint.block = ApproveHint::Block::Requester;
        return hint;
    }
    if (approvers.contains(me)) {
        hint.block = ApproveHint::Block::AlreadyApproved;
        return hint;
    }
    // The first stage not yet full is the one approvals go to now.
    qsizetype given = approvers.size();
    for (const auto& [needed, roles] : stages) {
        if (given >= needed) {
            given -= needed;
            continue;
        }
        hint.neededRoles = roles;
        for (const auto& role : myRoles) {
            if (roles.contains(role)) {
                hint.block = ApproveHint::Block::None;
                return hint;
            }
        }
        hint.block = ApproveHint::Block::Role;
        return hint;
    }
    hint.block = ApproveHint::Block::NoOpenStage;
    return hint;
}

} // namespace latch::app
