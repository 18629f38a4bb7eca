#include "people.h"

namespace latch::cli {

void People::add(const google::protobuf::RepeatedPtrField<v1::User>& users)
{
    for (const auto& user : users)
        add(user);
}

void People::add(const v1::User& user)
{
    if (user.display_name().empty())
        return;
    // Events carry user ids; people type usernames. Today they are the same, but both resolve.
    if (!user.id().empty())
        m_names[user.id()] = user.display_name();
    if (!user.username().empty())
        m_names[user.username()] = user.display_name();
}

std::string People::name(const std::string& id) const
{
    const auto it = m_names.find(id);
    return it == m_names.end() ? std::string() : it->second;
}

std::string People::label(const std::string& id) const
{
    if (id.empty())
        return "—";
    const std::string display = name(id);
    if (display.empty() || display == id)
        return id;
    return id + " (" + display + ")";
}

} // namespace latch::cli
