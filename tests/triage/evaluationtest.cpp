// Evaluation arithmetic on a hand-built case whose numbers are worked out below, the fixed-width
// report byte for byte, and the edge cases: nothing to evaluate, a type never predicted.
#include "triage/evaluation.h"

#include <QtTest>

using latch::triage::Evaluation;
using latch::triage::Outcome;

namespace {

// Ten examples of three types (plus "escalation", known to the model but absent here):
//   refund     x4: suggested refund 3 times, chargeback once
//   chargeback x3: suggested chargeback once, refund once, nothing once (top was chargeback)
//   other      x3: suggested other twice, refund once
// correct 3+1+2 = 6 of 10; one without a type; top right 3+2+2 = 7.
//   refund:     support 4, suggested 5 (3+1+1), correct 3: P 3/5, R 3/4, F1 2/3
//   chargeback: support 3, suggested 2 (1+1),   correct 1: P 1/2, R 1/3, F1 0.4
//   other:      support 3, suggested 2,          correct 2: P 1,   R 2/3, F1 0.8
std::vector<Outcome> handBuilt()
{
    return {
        { "refund", "refund", "refund" },
        { "refund", "refund", "refund" },
        { "refund", "refund", "refund" },
        { "refund", "chargeback", "chargeback" },
        { "chargeback", "chargeback", "chargeback" },
        { "chargeback", "refund", "refund" },
        { "chargeback", "", "chargeback" },
        { "other", "other", "other" },
        { "other", "other", "other" },
        { "other", "refund", "refund" },
    };
}

const latch::triage::TypeMetrics& metricsFor(const Evaluation& e, const std::string& type)
{
    const auto it = std::find_if(
        e.perType.begin(), e.perType.end(), [&type](const auto& m) { return m.type == type; });
    Q_ASSERT(it != e.perType.end());
    return *it;
}

} // namespace

class EvaluationTest : public QObject {
    Q_OBJECT

private slots:
    void totals();
    void perType();
    void confusion();
    void report();
    void nothingToEvaluate();
};

void EvaluationTest::totals()
{
    const Evaluation e = latch::triage::tally(handBuilt(), { "escalation" });
    QCOMPARE(e.total, std::size_t(10));
    QCOMPARE(e.correct, std::size_t(6));
    QCOMPARE(e.noType, std::size_t(1));
    QCOMPARE(e.topCorrect, std::size_t(7));
    QCOMPARE(e.accuracy, 0.6);
    QCOMPARE(e.topAccuracy, 0.7);
    QCOMPARE(e.coverage, 0.9);
    QCOMPARE(e.answeredPrecision, 6.0 / 9.0);
    QVERIFY(e.model.empty());
}

void EvaluationTest::perType()
{
    const Evaluation e = latch::triage::tally(handBuilt(), { "escalation" });
    QCOMPARE(e.types, (std::vector<std::string> { "chargeback", "escalation", "other", "refund" }));

    const auto& refund = metricsFor(e, "refund");
    QCOMPARE(refund.support, std::size_t(4));
    QCOMPARE(refund.predicted, std::size_t(5));
    QCOMPARE(refund.correct, std::size_t(3));
    QCOMPARE(refund.precision, 0.6);
    QCOMPARE(refund.recall, 0.75);
    QCOMPARE(refund.f1, 2 * 0.6 * 0.75 / 1.35);

    const auto& chargeback = metricsFor(e, "chargeback");
    QCOMPARE(chargeback.precision, 0.5);
    QCOMPARE(chargeback.recall, 1.0 / 3.0);
    QCOMPARE(chargeback.f1, 0.4);

    const auto& other = metricsFor(e, "other");
    QCOMPARE(other.precision, 1.0);
    QCOMPARE(other.recall, 2.0 / 3.0);
    QCOMPARE(other.f1, 0.8);

    // Never seen, never suggested: zeros, not NaN.
    const auto& escalation = metricsFor(e, "escalation");
    QCOMPARE(escalation.support, std::size_t(0));
    QCOMPARE(escalation.predicted, std::size_t(0));
    QCOMPARE(escalation.precision, 0.0);
    QCOMPARE(escalation.recall, 0.0);
    QCOMPARE(escalation.f1, 0.0);
}

void EvaluationTest::confusion()
{
    const Evaluation e = latch::triage::tally(handBuilt(), { "escalation" });
    // Rows: actual; columns: chargeback, escalation, other, refund, no type.
    const std::vector<std::vector<std::size_t>> expected {
        { 1, 0, 0, 1, 1 },
        { 0, 0, 0, 0, 0 },
        { 0, 0, 2, 1, 0 },
        { 1, 0, 0, 3, 0 },
    };
    QCOMPARE(e.confusion, expected);
}

void EvaluationTest::report()
{
    Evaluation e = latch::triage::tally(handBuilt(), { "escalation" });
    e.model = "fasttext 0123456789ab";
    const std::string expected
        = "examples       10, model fasttext 0123456789ab\n"
          "accuracy       0.600  (6/10 correct; no type counts as wrong)\n"
          "top-1 accuracy 0.700  (7/10; thresholds ignored)\n"
          "coverage       0.900  (1 without a type)\n"
          "precision      0.667  (of the suggestions made)\n"
          "\n"
          "type        precision  recall      f1  support  predicted\n"
          "chargeback      0.500   0.333   0.400        3          2\n"
          "escalation          -       -       -        0          0\n"
          "other           1.000   0.667   0.800        3          2\n"
          "refund          0.600   0.750   0.667        4          5\n"
          "\n"
          "confusion: rows are the actual type, columns the suggested type by number; \"-\" is "
          "no type\n"
          "                 1     2     3     4     -\n"
          "1 chargeback     1     0     0     1     1\n"
          "2 escalation     0     0     0     0     0\n"
          "3 other          0     0     2     1     0\n"
          "4 refund         1     0     0     3     0\n";
    const std::string got = latch::triage::renderEvaluation(e);
    QCOMPARE(QString::fromStdString(got), QString::fromStdString(expected));
}

void EvaluationTest::nothingToEvaluate()
{
    const Evaluation e = latch::triage::tally({});
    QCOMPARE(e.total, std::size_t(0));
    QCOMPARE(e.accuracy, 0.0);
    QCOMPARE(e.coverage, 0.0);
    QVERIFY(e.types.empty());
    const std::string text = latch::triage::renderEvaluation(e);
    QVERIFY(text.find("examples       0\n") == 0);
    QVERIFY(text.find("precision      -") != std::string::npos);
}

QTEST_GUILESS_MAIN(EvaluationTest)
#include "evaluationtest.moc"
