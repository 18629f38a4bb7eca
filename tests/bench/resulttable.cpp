#include "resulttable.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

namespace latch::appbench {

namespace {

const char* verdictText(Verdict v)
{
    switch (v) {
    case Verdict::Met:
        return "MET";
    case Verdict::Missed:
        return "MISSED";
    case Verdict::Info:
        return "";
    case Verdict::Failed:
        return "FAILED";
    }
    return "";
}

std::string fixed(double value, int decimals)
{
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << value;
    return text.str();
}

} // namespace

void ResultTable::add(std::string scenario, std::string target, std::string measured,
                      Verdict verdict)
{
    m_rows.push_back({ std::move(scenario), std::move(target), std::move(measured), verdict });
}

void ResultTable::note(std::string text)
{
    m_notes.push_back(std::move(text));
}

void ResultTable::result(const std::string& scenario,
                         const std::vector<std::pair<std::string, std::string>>& fields)
{
    std::ostringstream line;
    line << "RESULT " << scenario;
    for (const auto& [key, value] : fields)
        line << ' ' << key << '=' << value;
    std::cout << line.str() << std::endl;
}

void ResultTable::print(const std::string& heading) const
{
    std::size_t w0 = 8, w1 = 6, w2 = 8;
    for (const auto& r : m_rows) {
        w0 = std::max(w0, r.scenario.size());
        w1 = std::max(w1, r.target.size());
        w2 = std::max(w2, r.measured.size());
    }
    std::cout << "\n== " << heading << "\n";
    auto line = [&](const std::string& a, const std::string& b, const std::string& c,
                    const std::string& d) {
        std::cout << std::left << std::setw(int(w0) + 2) << a << std::setw(int(w1) + 2) << b
                  << std::setw(int(w2) + 2) << c << d << "\n";
    };
    line("scenario", "target", "measured", "result");
    for (const auto& r : m_rows)
        line(r.scenario, r.target, r.measured, verdictText(r.verdict));
    for (const auto& n : m_notes)
        std::cout << "  - " << n << "\n";
    std::cout << std::flush;
}

Verdict below(double value, double limit)
{
    return value < limit ? Verdict::Met : Verdict::Missed;
}

std::string ms(double milliseconds)
{
    if (milliseconds >= 1000)
        return fixed(milliseconds / 1000, 2) + " s";
    if (milliseconds >= 10)
        return fixed(milliseconds, 0) + " ms";
    return fixed(milliseconds, 1) + " ms";
}

std::string fixedMs(double milliseconds)
{
    return milliseconds < 0 ? std::string() : fixed(milliseconds, 1);
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double loadAverage()
{
    std::ifstream in("/proc/loadavg");
    double load = -1;
    in >> load;
    return load;
}

std::string loadText()
{
    return "load " + fixed(loadAverage(), 2) + " (" + std::to_string(std::thread::hardware_concurrency())
        + " cores)";
}

} // namespace latch::appbench
