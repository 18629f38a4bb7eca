#include "iopool.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <future>

namespace latch::bench {

IoPool::IoPool(std::size_t threads)
{
    threads = std::max<std::size_t>(1, threads);
    for (std::size_t i = 0; i < threads; ++i) {
        // Concurrency hint 1: each context is run by exactly one thread, so Asio may skip locking.
        m_contexts.push_back(std::make_unique<boost::asio::io_context>(1));
        m_guards.push_back(boost::asio::make_work_guard(*m_contexts.back()));
    }
    for (auto& context : m_contexts)
        m_threads.emplace_back([ctx = context.get()] { ctx->run(); });
}

IoPool::~IoPool()
{
    stop();
}

boost::asio::any_io_executor IoPool::executor(std::size_t i)
{
    return m_contexts[i % m_contexts.size()]->get_executor();
}

void IoPool::sync()
{
    for (auto& context : m_contexts) {
        if (context->stopped())
            continue;
        std::promise<void> done;
        auto future = done.get_future();
        boost::asio::post(*context, [&done] { done.set_value(); });
        future.wait();
    }
}

void IoPool::stop()
{
    for (auto& guard : m_guards)
        guard.reset();
    for (auto& context : m_contexts)
        context->stop();
    for (auto& thread : m_threads) {
        if (thread.joinable())
            thread.join();
    }
}

} // namespace latch::bench
