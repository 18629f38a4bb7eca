#include "benchsupport.h"

#include "latch/ids.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace latch::bench {

ServerAddress parseServerUrl(const std::string& url)
{
    std::string rest = url;
    if (rest.rfind("ws://", 0) == 0)
        rest = rest.substr(5);
    else if (rest.rfind("wss://", 0) == 0)
        throw std::invalid_argument("latch-bench speaks plain ws:// only (benchmark on loopback)");
    if (const auto slash = rest.find('/'); slash != std::string::npos)
        rest = rest.substr(0, slash);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos)
        throw std::invalid_argument("expected ws://HOST:PORT/sync, got '" + url + "'");
    std::string host = rest.substr(0, colon);
    const std::string portText = rest.substr(colon + 1);
    unsigned port = 0;
    const auto [end, err]
        = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (err != std::errc() || end != portText.data() + portText.size() || port == 0 || port > 65535)
        throw std::invalid_argument("bad port in '" + url + "'");
    const std::string ip = host == "localhost" ? "127.0.0.1" : host;
    ServerAddress address;
    address.host = rest;
    address.endpoint
        = asio::ip::tcp::endpoint(asio::ip::make_address(ip), static_cast<unsigned short>(port));
    return address;
}

asio::awaitable<std::string> login(BenchClient& client, std::string user, std::string password)
{
    v1::Envelope request;
    request.mutable_login()->set_username(user);
    request.mutable_login()->set_password(password);
    request.mutable_login()->set_device("latch-bench");
    co_await client.send(request);
    const v1::Envelope reply = co_await client.receive();
    if (!reply.has_login_result() || !reply.login_result().ok()) {
        throw std::runtime_error("login as " + user + " refused: "
            + (reply.has_login_result() ? reply.login_result().message()
                                        : reply.ShortDebugString()));
    }
    co_return reply.login_result().token();
}

asio::awaitable<HelloReply> hello(
    BenchClient& client, std::string token, std::uint64_t cursor, bool live)
{
    v1::Envelope request;
    auto* h = request.mutable_hello();
    h->set_protocol_version(1);
    h->set_token(token);
    h->set_device_id("latch-bench");
    h->set_cursor(cursor);
    h->set_live(live);
    co_await client.send(request);
    HelloReply result;
    const v1::Envelope reply = co_await client.receive();
    if (!reply.has_welcome())
        throw std::runtime_error("Hello answered with " + reply.ShortDebugString());
    result.welcome = reply.welcome();
    while (live) {
        const v1::Envelope next = co_await client.receive();
        if (next.has_snapshot()) {
            ++result.snapshotPages;
            result.snapshotCases += static_cast<std::size_t>(next.snapshot().cases_size());
            if (next.snapshot().last()) {
                result.uptoSeq = next.snapshot().upto_seq();
                break;
            }
        } else if (next.has_error()) {
            throw std::runtime_error("error during the snapshot: " + next.error().message());
        }
        // An EventBatch cannot come before the last page: the server holds batches back.
    }
    co_return result;
}

asio::awaitable<v1::CommandResult> command(BenchClient& client, v1::Command command)
{
    co_await client.send(envelopeOf(command));
    for (;;) {
        v1::Envelope reply = co_await client.receive();
        if (reply.has_command_result()
            && reply.command_result().command_id() == command.command_id())
            co_return std::move(*reply.mutable_command_result());
        if (reply.has_error())
            throw std::runtime_error(
                "error instead of a CommandResult: " + reply.error().message());
    }
}

v1::Envelope envelopeOf(const v1::Command& command)
{
    v1::Envelope envelope;
    *envelope.mutable_command() = command;
    return envelope;
}

v1::Command createCaseCommand(const std::string& type, const std::string& title)
{
    v1::Command command;
    command.set_command_id(newUuid());
    command.mutable_create_case()->set_type(type);
    command.mutable_create_case()->set_title(title);
    command.mutable_create_case()->set_customer("Bench Co");
    return command;
}

v1::Command addNoteCommand(const std::string& caseId, const std::string& text)
{
    v1::Command command;
    command.set_command_id(newUuid());
    command.mutable_add_note()->set_case_id(caseId);
    command.mutable_add_note()->set_text(text);
    return command;
}

std::string noteText(std::size_t client, std::uint64_t n)
{
    return "Benchmark note " + std::to_string(n) + " from client " + std::to_string(client)
        + ": called the customer back, confirmed the order details and the delivery address.";
}

std::string loginOnce(IoPool& pool, const ServerAddress& address, const std::string& user,
    const std::string& password)
{
    BenchClient client(pool.executor(0));
    runBlocking(client.executor(), client.open(address.endpoint, address.host));
    std::string token = runBlocking(client.executor(), login(client, user, password));
    client.abort();
    pool.sync();
    return token;
}

asio::awaitable<void> helloRequests(BenchClient& client, std::string token)
{
    co_await hello(client, std::move(token), 0, false);
}

std::vector<std::string> prepareCases(IoPool& pool, const ServerAddress& address,
    const std::string& token, std::size_t count, const std::string& label)
{
    BenchClient setup(pool.executor(0));
    runBlocking(setup.executor(), setup.open(address.endpoint, address.host));
    runBlocking(setup.executor(), helloRequests(setup, token));
    auto cases = runBlocking(setup.executor(), createCases(setup, count, label));
    setup.abort();
    pool.sync();
    return cases;
}

asio::awaitable<std::vector<std::string>> createCases(
    BenchClient& client, std::size_t count, std::string label)
{
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < count; ++i) {
        const auto result = co_await command(
            client, createCaseCommand("escalation", label + " case " + std::to_string(i + 1)));
        if (!result.accepted())
            throw std::runtime_error("create_case refused: " + result.message());
        ids.push_back(result.case_id());
    }
    co_return ids;
}

void runBlocking(const asio::any_io_executor& executor, asio::awaitable<void> work)
{
    std::promise<void> promise;
    auto future = promise.get_future();
    asio::co_spawn(executor, std::move(work), [&promise](std::exception_ptr error) {
        if (error)
            promise.set_exception(error);
        else
            promise.set_value();
    });
    future.get();
}

std::uint64_t residentKiB(int pid)
{
    std::ifstream status(
        pid == 0 ? std::string("/proc/self/status") : "/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            std::istringstream fields(line.substr(6));
            std::uint64_t kib = 0;
            fields >> kib;
            return kib;
        }
    }
    return 0;
}

double cpuSeconds(int pid)
{
    std::ifstream stat(
        pid == 0 ? std::string("/proc/self/stat") : "/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    // The command name (field 2) may hold spaces; fields 14 and 15 (utime, stime) follow it.
    const auto close = text.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string skip;
    for (int field = 3; field < 14; ++field)
        fields >> skip;
    unsigned long long user = 0;
    unsigned long long system = 0;
    fields >> user >> system;
    return static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

CpuMeter::CpuMeter(int serverPid)
    : m_pid(serverPid)
{
}

void CpuMeter::start()
{
    m_serverStart = m_pid ? cpuSeconds(m_pid) : 0;
    m_benchStart = cpuSeconds(0);
}

void CpuMeter::stop()
{
    m_server = m_pid ? cpuSeconds(m_pid) - m_serverStart : 0;
    m_bench = cpuSeconds(0) - m_benchStart;
}

std::string CpuMeter::perOperation(double operations, const std::string& what) const
{
    if (operations <= 0)
        return "";
    std::string text;
    if (m_pid)
        text = "server " + fixed(m_server / operations * 1e6, 1) + " us + ";
    return text + "latch-bench " + fixed(m_bench / operations * 1e6, 1) + " us of CPU per " + what;
}

void printResult(
    const std::string& scenario, const std::vector<std::pair<std::string, std::string>>& fields)
{
    std::ostringstream line;
    line << "RESULT " << scenario;
    for (const auto& [key, value] : fields)
        line << ' ' << key << '=' << value;
    std::cout << line.str() << std::endl;
}

std::string fixed(double value, int decimals)
{
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << value;
    return text.str();
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace latch::bench
