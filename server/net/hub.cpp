#include "net/hub.h"

#include <vector>

namespace latch::net {

Hub::Hub(core::Service& service, asio::any_io_executor blocking)
    : m_service(service)
    , m_blocking(std::move(blocking))
{
}

Hub::~Hub() = default;

const core::Webhook* Hub::webhookFor(std::string_view path) const
{
    for (const auto& hook : m_webhooks) {
        if (hook->serves(path))
            return hook.get();
    }
    return nullptr;
}

void Hub::attach()
{
    std::lock_guard lock(m_mutex);
    if (m_listenerId)
        return;
    // The core may outlive us or call the listener while we are being destroyed: hold us weakly.
    m_listenerId = m_service.addListener(
        [weak = weak_from_this()](const std::shared_ptr<const core::CommittedBatch>& batch) {
            if (auto hub = weak.lock())
                hub->broadcast(batch);
        });
    m_accountListenerId = m_service.addAccountListener([weak = weak_from_this()](
                                                           const std::string& username) {
        if (auto hub = weak.lock())
            hub->notifyAccount(username);
    });
}

void Hub::detach()
{
    std::optional<std::uint64_t> id;
    std::optional<std::uint64_t> accountId;
    {
        std::lock_guard lock(m_mutex);
        id.swap(m_listenerId);
        accountId.swap(m_accountListenerId);
    }
    if (id)
        m_service.removeListener(*id);
    if (accountId)
        m_service.removeAccountListener(*accountId);
}

std::uint64_t Hub::join(std::weak_ptr<Connection> connection)
{
    std::lock_guard lock(m_mutex);
    const auto id = m_nextId++;
    m_entries.emplace(id, Entry{std::move(connection), false});
    return id;
}

void Hub::leave(std::uint64_t id)
{
    std::lock_guard lock(m_mutex);
    m_entries.erase(id);
}

void Hub::subscribe(std::uint64_t id)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_entries.find(id); it != m_entries.end())
        it->second.live = true;
}

void Hub::broadcast(const std::shared_ptr<const core::CommittedBatch>& batch)
{
    std::vector<std::weak_ptr<Connection>> targets;
    {
        std::lock_guard lock(m_mutex);
        targets.reserve(m_entries.size());
        for (const auto& [id, entry] : m_entries) {
            if (entry.live)
                targets.push_back(entry.connection);
        }
    }
    for (const auto& weak : targets) {
        if (auto connection = weak.lock())
            connection->deliver(batch);
    }
}

void Hub::notifyAccount(const std::string& username)
{
    // Only live sessions are told: request/response connections check the token before every
    // request anyway. Each session compares the name itself; the registry does not know users.
    std::vector<std::weak_ptr<Connection>> targets;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [id, entry] : m_entries) {
            if (entry.live)
                targets.push_back(entry.connection);
        }
    }
    for (const auto& weak : targets) {
        if (auto connection = weak.lock())
            connection->accountChanged(username);
    }
}

void Hub::shutdownAll()
{
    std::vector<std::weak_ptr<Connection>> targets;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [id, entry] : m_entries)
            targets.push_back(entry.connection);
    }
    logger()->info("closing {} connection(s)", targets.size());
    for (const auto& weak : targets) {
        if (auto connection = weak.lock())
            connection->shutdown();
    }
}

std::size_t Hub::openConnections() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

std::size_t Hub::liveSessions() const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto& [id, entry] : m_entries)
        n += entry.live ? 1 : 0;
    return n;
}

} // namespace latch::net
