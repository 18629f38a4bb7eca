#pragma once
// latch-appbench's summary: one row per figure with its target and whether it was met, printed as
// a table at the end, plus the "RESULT <scenario> key=value ..." lines run.sh reads.
//
// Threading: main thread only.
#include <string>
#include <utility>
#include <vector>

namespace latch::appbench {

enum class Verdict { Met, Missed, Info, Failed };

class ResultTable {
public:
    void add(std::string scenario, std::string target, std::string measured, Verdict verdict);
    // A line under the table (what a figure includes, what could not be measured).
    void note(std::string text);
    // Prints the RESULT line at once (run.sh keeps the last one per scenario).
    static void result(const std::string& scenario,
                       const std::vector<std::pair<std::string, std::string>>& fields);
    void print(const std::string& heading) const;

private:
    struct Row {
        std::string scenario;
        std::string target;
        std::string measured;
        Verdict verdict;
    };
    std::vector<Row> m_rows;
    std::vector<std::string> m_notes;
};

// Helpers for the figures.
Verdict below(double value, double limit); // Met when value < limit
std::string ms(double milliseconds);        // "412 ms", "3.21 s"
std::string fixedMs(double milliseconds);   // "412.3" for RESULT lines; "" when negative
double median(std::vector<double> values);
double loadAverage();                       // 1-minute load average, -1 when unreadable
std::string loadText();                     // "load 1.23 (2 cores)"

} // namespace latch::appbench
