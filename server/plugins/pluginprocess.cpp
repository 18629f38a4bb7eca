#include "plugins/pluginprocess.h"

#include "plugins/processreaper.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace latch::plugins {

namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;

constexpr std::size_t kMaxErrorLine = 2000; // longer stderr lines are cut in the log
constexpr std::size_t kMaxActions = 64;
constexpr milliseconds kSlice { 100 }; // how often a wait looks at `stopping`

// 1 to `max` lower-case letters, digits, _ or -, starting with a letter.
bool isName(std::string_view s, std::size_t max)
{
    return !s.empty() && s.size() <= max && s[0] >= 'a' && s[0] <= 'z'
        && std::all_of(s.begin(), s.end(), [](char ch) {
               return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'
                   || ch == '-';
           });
}

bool isStopping(const std::atomic<bool>* stopping)
{
    return stopping && stopping->load();
}

int pollMs(PluginProcess::Clock::time_point deadline)
{
    const auto left
        = std::chrono::duration_cast<milliseconds>(deadline - PluginProcess::Clock::now());
    return int(std::clamp(left, milliseconds(0), kSlice).count());
}

std::string text(const json& value, std::size_t max = 200)
{
    std::string s = value.is_string() ? value.get<std::string>() : value.dump();
    if (s.size() > max)
        s = s.substr(0, max) + "...";
    return s;
}

} // namespace

PluginProcess::PluginProcess(Options options, std::unique_ptr<ChildProcess> child)
    : m_options(std::move(options))
    , m_child(std::move(child))
    , m_codec(m_options.maxFrameBytes)
    , m_label(m_options.label)
{
}

PluginProcess::~PluginProcess()
{
    if (!m_finished)
        finish();
}

Expected<std::unique_ptr<PluginProcess>> PluginProcess::start(Options options,
    Clock::time_point deadline, ProcessReaper& reaper, const std::atomic<bool>* stopping)
{
    auto child = ChildProcess::spawn(options.path, options.env, options.workDir);
    if (!child)
        return child.failure();
    std::unique_ptr<PluginProcess> process(new PluginProcess(options, std::move(*child)));
    const std::string label = process->m_label;
    // A process that is not taken into service is stopped at once and ended by the reaper.
    auto refuse = [&](std::string code, std::string message) {
        process->abort();
        reaper.dispose(std::move(process));
        return Expected<std::unique_ptr<PluginProcess>>(fail(std::move(code), std::move(message)));
    };
    json params = options.hello;
    params["protocols"] = json::array({ kProtocol });
    auto answer = process->call("hello", std::move(params), deadline, stopping);
    if (!answer)
        return refuse(answer.failure().code, answer.failure().message);
    if (answer->error)
        return refuse("plugin.refused",
            label + " declined the handshake: " + answer->error->code + ": "
                + answer->error->message);
    const json& r = answer->result;
    const json protocol = r.value("protocol", json());
    if (!protocol.is_string() || protocol.get<std::string>() != kProtocol)
        return refuse("plugin.version",
            label + " speaks " + (protocol.is_string() ? text(protocol) : "no protocol it names")
                + "; this server speaks " + kProtocol);
    const json name = r.value("name", json());
    if (!name.is_string() || !isName(name.get<std::string>(), 32))
        return refuse("plugin.protocol",
            label + " gave no usable name in its hello (" + text(name)
                + "); a name is 1 to 32 lower case letters, digits, _ or -, starting with a "
                  "letter");
    PluginHello hello;
    hello.protocol = kProtocol;
    hello.name = name.get<std::string>();
    const json version = r.value("version", json());
    if (!version.is_string() || version.get<std::string>().empty()
        || version.get<std::string>().size() > 64)
        return refuse("plugin.protocol", label + " gave no version (a string) in its hello");
    hello.version = version.get<std::string>();
    const json actions = r.value("actions", json());
    if (!actions.is_array() || actions.empty() || actions.size() > kMaxActions)
        return refuse("plugin.protocol",
            label + " listed no actions in its hello (1 to " + std::to_string(kMaxActions)
                + " names such as " + hello.name + ".open)");
    for (const auto& action : actions) {
        const std::string prefix = hello.name + ".";
        if (!action.is_string() || action.get<std::string>().rfind(prefix, 0) != 0
            || !isName(std::string_view(action.get<std::string>()).substr(prefix.size()), 64))
            return refuse("plugin.protocol",
                label + " listed the action " + text(action) + "; its actions must be named "
                    + hello.name + ".<verb> (lower case letters, digits, _ or -)");
        if (std::find(hello.actions.begin(), hello.actions.end(), action.get<std::string>())
            == hello.actions.end())
            hello.actions.push_back(action.get<std::string>());
    }
    process->m_hello = std::move(hello);
    process->m_label = process->m_hello.name;
    return process;
}

Expected<PluginProcess::Answer> PluginProcess::fault(Failure failure)
{
    m_dead = true;
    return failure;
}

std::string PluginProcess::crashDescription()
{
    // It usually ends a moment after closing its output; give the exit status that moment.
    if (auto how = m_child->ended(milliseconds(200)))
        return *how;
    return "closed its output";
}

Expected<PluginProcess::Answer> PluginProcess::call(const std::string& method, json params,
    Clock::time_point deadline, const std::atomic<bool>* stopping, bool* delivered)
{
    if (delivered)
        *delivered = false;
    if (m_dead)
        return fail("plugin.crashed", m_label + " is not running");
    const std::uint64_t id = m_nextId++;
    const auto frame = m_codec.encode(
        json { { "id", id }, { "method", method }, { "params", std::move(params) } });
    if (!frame)
        return fail("plugin.too_large",
            "the " + method + " request for " + m_label
                + " is too large to send: " + frame.failure().message);
    const auto started = Clock::now();
    const auto elapsed = [&] {
        return std::to_string(
                   std::chrono::duration_cast<milliseconds>(Clock::now() - started).count())
            + " ms";
    };

    // Write the request, reading stderr meanwhile so a chatty plugin never blocks on it.
    std::size_t sent = 0;
    while (sent < frame->size()) {
        pollfd fds[2] = { { m_child->input(), POLLOUT, 0 }, { m_child->errors(), POLLIN, 0 } };
        ::poll(fds, 2, pollMs(deadline));
        if (fds[1].revents)
            readErrors();
        if (isStopping(stopping))
            return fault(fail("plugin.stopping", "the server is stopping"));
        const ssize_t n = ::send(m_child->input(), frame->data() + sent, frame->size() - sent,
            MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += std::size_t(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return fault(fail("plugin.crashed",
                m_label + " " + crashDescription() + " before taking the " + method + " request"));
        if (Clock::now() >= deadline)
            return fault(fail("plugin.timeout",
                m_label + " did not read the " + method + " request within " + elapsed()));
    }
    if (delivered)
        *delivered = true;

    // Wait for the answer.
    char buffer[64 * 1024];
    for (;;) {
        if (auto message = m_codec.next()) {
            if (!*message)
                return fault(fail("plugin.protocol",
                    m_label + " sent " + message->failure().message + " in answer to " + method));
            const json& m = **message;
            const json answerId = m.value("id", json());
            if (!answerId.is_number_unsigned() || answerId.get<std::uint64_t>() != id)
                return fault(fail("plugin.protocol",
                    m_label + " answered " + method + " with id " + text(answerId) + ", expected "
                        + std::to_string(id)));
            Answer answer;
            if (m.contains("error") && !m.contains("result")) {
                const json& e = m["error"];
                const json code = e.is_object() ? e.value("code", json()) : json();
                const json sentence = e.is_object() ? e.value("message", json()) : json();
                if (!code.is_string() || code.get<std::string>().empty()
                    || code.get<std::string>().size() > 100 || !sentence.is_string())
                    return fault(fail("plugin.protocol",
                        m_label + " answered " + method
                            + " with an error that lacks a code or message (strings)"));
                answer.error = fail(code.get<std::string>(), text(sentence, 2000));
                return answer;
            }
            if (!m.contains("result") || !m["result"].is_object() || m.contains("error"))
                return fault(fail("plugin.protocol",
                    m_label + " answered " + method
                        + " with neither a result object nor an error"));
            answer.result = m["result"];
            return answer;
        }
        pollfd fds[2] = { { m_child->output(), POLLIN, 0 }, { m_child->errors(), POLLIN, 0 } };
        ::poll(fds, 2, pollMs(deadline));
        if (fds[1].revents)
            readErrors();
        if (fds[0].revents) {
            const ssize_t n = ::read(m_child->output(), buffer, sizeof buffer);
            if (n > 0) {
                m_codec.feed(std::string_view(buffer, std::size_t(n)));
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                readErrors(true);
                return fault(fail("plugin.crashed",
                    m_label + " " + crashDescription() + " before answering " + method));
            }
        }
        if (isStopping(stopping))
            return fault(fail("plugin.stopping", "the server is stopping"));
        if (Clock::now() >= deadline)
            return fault(fail(
                "plugin.timeout", m_label + " did not answer " + method + " within " + elapsed()));
    }
}

void PluginProcess::abort()
{
    m_dead = true;
    m_aborted = true;
    m_child->terminate();
}

void PluginProcess::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_dead = true;
    std::string how;
    if (m_aborted) {
        how = m_child->ended(m_options.grace).value_or("did not stop on SIGTERM; killed");
    } else {
        m_child->closeInput();
        how = m_child->ended(m_options.grace).value_or("");
        if (how.empty()) {
            m_child->terminate();
            how = m_child->ended(m_options.grace).value_or("did not stop on SIGTERM; killed");
        }
    }
    readErrors(true);
    const pid_t pid = m_child->pid();
    m_child.reset(); // SIGKILL to whatever is left of its group, and reaped
    if (m_aborted)
        spdlog::warn("plugins: {}[{}] {}", m_label, pid, how);
    else
        spdlog::debug("plugins: {}[{}] {}", m_label, pid, how);
}

void PluginProcess::readErrors(bool toEnd)
{
    char buffer[8192];
    // Once the process is gone, read what it left; otherwise what is there now. Bounded either
    // way, so a descendant holding the pipe open cannot keep us here.
    for (int rounds = 0; rounds < 64 && m_child->errors() >= 0; ++rounds) {
        const ssize_t n = ::read(m_child->errors(), buffer, sizeof buffer);
        if (n == 0)
            m_child->closeErrors(); // ended: poll must not report it again and again
        if (n <= 0)
            break;
        std::string_view chunk(buffer, std::size_t(n));
        if (m_skipLine) {
            // The rest of an over-long line is dropped, never logged in pieces (a piece could
            // hold part of a secret that redaction would no longer recognise).
            const auto nl = chunk.find('\n');
            if (nl == std::string_view::npos)
                continue;
            chunk.remove_prefix(nl + 1);
            m_skipLine = false;
        }
        m_errLine.append(chunk);
        for (std::size_t nl = m_errLine.find('\n'); nl != std::string::npos;
             nl = m_errLine.find('\n')) {
            logErrorLine(m_errLine.substr(0, nl));
            m_errLine.erase(0, nl + 1);
        }
        if (m_errLine.size() > kMaxErrorLine) {
            logErrorLine(m_errLine);
            m_errLine.clear();
            m_skipLine = true;
        }
    }
    if (toEnd && !m_errLine.empty()) {
        logErrorLine(m_errLine);
        m_errLine.clear();
    }
}

void PluginProcess::logErrorLine(std::string line) const
{
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    for (const auto& secret : m_options.secrets) {
        if (secret.empty())
            continue;
        constexpr std::string_view kRedacted = "[redacted]";
        for (auto at = line.find(secret); at != std::string::npos;
             at = line.find(secret, at + kRedacted.size()))
            line.replace(at, secret.size(), kRedacted);
    }
    if (line.size() > kMaxErrorLine)
        line = line.substr(0, kMaxErrorLine) + "...";
    spdlog::info("plugin {}[{}]: {}", m_label, m_child ? m_child->pid() : 0, line);
}

} // namespace latch::plugins
