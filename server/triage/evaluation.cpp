#include "triage/evaluation.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <set>

namespace latch::triage {
namespace {

double ratio(std::size_t part, std::size_t whole)
{
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

std::size_t indexOf(const std::vector<std::string>& types, const std::string& type)
{
    return static_cast<std::size_t>(
        std::lower_bound(types.begin(), types.end(), type) - types.begin());
}

std::string formatted(const char* format, auto... args)
{
    std::array<char, 256> buffer {};
    const int n = std::snprintf(buffer.data(), buffer.size(), format, args...);
    return { buffer.data(),
        static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(buffer.size()) - 1)) };
}

std::string fraction(double value, bool defined)
{
    return defined ? formatted("%.3f", value) : std::string("-");
}

} // namespace

Evaluation tally(const std::vector<Outcome>& outcomes, const std::vector<std::string>& knownTypes)
{
    Evaluation e;
    std::set<std::string> types(knownTypes.begin(), knownTypes.end());
    for (const Outcome& o : outcomes) {
        types.insert(o.actual);
        if (!o.predicted.empty()) {
            types.insert(o.predicted);
        }
    }
    e.types.assign(types.begin(), types.end());
    const std::size_t n = e.types.size();
    e.confusion.assign(n, std::vector<std::size_t>(n + 1, 0));
    e.perType.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        e.perType[i].type = e.types[i];
    }

    for (const Outcome& o : outcomes) {
        const std::size_t row = indexOf(e.types, o.actual);
        const std::size_t column = o.predicted.empty() ? n : indexOf(e.types, o.predicted);
        ++e.confusion[row][column];
        ++e.perType[row].support;
        if (o.predicted.empty()) {
            ++e.noType;
        } else {
            ++e.perType[column].predicted;
        }
        if (!o.predicted.empty() && o.predicted == o.actual) {
            ++e.correct;
            ++e.perType[row].correct;
        }
        if (o.top == o.actual) {
            ++e.topCorrect;
        }
    }
    e.total = outcomes.size();
    e.accuracy = ratio(e.correct, e.total);
    e.topAccuracy = ratio(e.topCorrect, e.total);
    e.coverage = ratio(e.total - e.noType, e.total);
    e.answeredPrecision = ratio(e.correct, e.total - e.noType);
    for (TypeMetrics& m : e.perType) {
        m.precision = ratio(m.correct, m.predicted);
        m.recall = ratio(m.correct, m.support);
        m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall)
                                          : 0.0;
    }
    return e;
}

Evaluation evaluate(const Classifier& classifier, const std::vector<Example>& examples)
{
    std::vector<Outcome> outcomes;
    outcomes.reserve(examples.size());
    for (const Example& example : examples) {
        Prediction p = classifier.predict(example.text);
        outcomes.push_back(Outcome { example.type, std::move(p.type), std::move(p.top) });
    }
    Evaluation e = tally(outcomes, classifier.types());
    e.model = std::string(classifier.modelId()) + " " + classifier.version();
    return e;
}

std::string renderEvaluation(const Evaluation& e)
{
    std::string out;
    out += "examples       " + std::to_string(e.total)
        + (e.model.empty() ? std::string() : ", model " + e.model) + "\n";
    out += formatted("accuracy       %.3f  (%zu/%zu correct; no type counts as wrong)\n",
        e.accuracy, e.correct, e.total);
    out += formatted("top-1 accuracy %.3f  (%zu/%zu; thresholds ignored)\n", e.topAccuracy,
        e.topCorrect, e.total);
    out += formatted("coverage       %.3f  (%zu without a type)\n", e.coverage, e.noType);
    out += "precision      " + fraction(e.answeredPrecision, e.total > e.noType)
        + "  (of the suggestions made)\n\n";

    std::size_t width = 4; // "type"
    for (const std::string& type : e.types) {
        width = std::max(width, type.size());
    }
    const int w = static_cast<int>(width);
    out += formatted("%-*s  %9s  %6s  %6s  %7s  %9s\n", w, "type", "precision", "recall", "f1",
        "support", "predicted");
    for (const TypeMetrics& m : e.perType) {
        out += formatted("%-*s  %9s  %6s  %6s  %7zu  %9zu\n", w, m.type.c_str(),
            fraction(m.precision, m.predicted > 0).c_str(),
            fraction(m.recall, m.support > 0).c_str(),
            fraction(m.f1, m.predicted > 0 && m.support > 0).c_str(), m.support, m.predicted);
    }

    out += "\nconfusion: rows are the actual type, columns the suggested type by number; "
           "\"-\" is no type\n";
    const int numberWidth = static_cast<int>(std::to_string(e.types.size()).size());
    out += formatted("%*s", numberWidth + 1 + w, "");
    for (std::size_t c = 0; c < e.types.size(); ++c) {
        out += formatted(" %5zu", c + 1);
    }
    out += formatted(" %5s\n", "-");
    for (std::size_t r = 0; r < e.types.size(); ++r) {
        out += formatted("%*zu %-*s", numberWidth, r + 1, w, e.types[r].c_str());
        for (std::size_t count : e.confusion[r]) {
            out += formatted(" %5zu", count);
        }
        out += "\n";
    }
    return out;
}

} // namespace latch::triage
