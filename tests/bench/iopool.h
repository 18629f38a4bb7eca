#pragma once
// The benchmark's client threads: one io_context per thread, each run by its own thread, so a
// connection (made on one context) is only ever touched by one thread and needs no strand.
//
// Threading: construct and destroy on the main thread; executor() from any thread. The contexts
// keep running (a work guard holds them) until stop() or destruction.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace latch::bench {

class IoPool {
public:
    explicit IoPool(std::size_t threads);
    ~IoPool();
    IoPool(const IoPool&) = delete;
    IoPool& operator=(const IoPool&) = delete;

    std::size_t size() const { return m_contexts.size(); }
    // Connection i lives on context i % size(): spreads connections evenly over the threads.
    boost::asio::any_io_executor executor(std::size_t i);
    // Returns once every context has run what was posted to it before the call.
    void sync();
    void stop();

private:
    using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> m_contexts;
    std::vector<Guard> m_guards;
    std::vector<std::thread> m_threads;
};

} // namespace latch::bench
