#pragma once
// Who is acting: an authenticated user, or a service actor ("system", "triage", "intake", a plugin).
#include <algorithm>
#include <string>
#include <vector>

namespace latch::core {

struct Actor {
    std::string id; // username for people; "system", "triage", "intake", "plugin:<name>" otherwise
    std::string displayName;
    std::vector<std::string> roles;

    bool hasRole(const std::string& role) const
    {
        return std::find(roles.begin(), roles.end(), role) != roles.end();
    }
    bool isAdmin() const { return hasRole("admin"); }
    // Service actors make suggestions; they never approve, deny or run actions.
    bool isPerson() const
    {
        return !id.empty() && id != "system" && id != "triage" && id != "intake"
            && id.rfind("plugin:", 0) != 0;
    }
};

} // namespace latch::core
