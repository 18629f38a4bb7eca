// Reading labelled examples (JSONL) and per-type thresholds (JSON): what is accepted, and that
// every mistake is refused with a code and a message naming the file and line to fix.
#include "triage/dataset.h"

#include "triage/thresholds.h"

#include <QtTest>

using latch::triage::parseExamples;
using latch::triage::parseThresholds;

class DatasetTest : public QObject {
    Q_OBJECT

private slots:
    void examplesAccepted();
    void examplesRefused_data();
    void examplesRefused();
    void missingFile();
    void thresholdsAccepted();
    void thresholdsRefused_data();
    void thresholdsRefused();
    void typeNames();
};

void DatasetTest::examplesAccepted()
{
    const auto got
        = parseExamples("{\"type\": \"refund\", \"text\": \"please refund\"}\n"
                        "\n"
                        "{\"text\": \"Zugang bitte \\u00fc\", \"type\": \"access_request\"}\r\n"
                        "{\"type\":\"other\",\"text\":\"multi\\nline\"}",
            "mem");
    QVERIFY2(got.ok(), got ? "" : got.failure().message.c_str());
    QCOMPARE(got->size(), std::size_t(3));
    QCOMPARE((*got)[0], (latch::triage::Example { "refund", "please refund" }));
    QCOMPARE((*got)[1].text, std::string("Zugang bitte \xC3\xBC"));
    QCOMPARE((*got)[2].text, std::string("multi\nline"));
}

void DatasetTest::examplesRefused_data()
{
    QTest::addColumn<QString>("jsonl");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");

    const QString good = "{\"type\": \"refund\", \"text\": \"ok\"}\n";
    QTest::newRow("empty") << ""
                           << "triage.jsonl_empty"
                           << "f.jsonl";
    QTest::newRow("only blank lines") << "\n  \n"
                                      << "triage.jsonl_empty"
                                      << "f.jsonl";
    QTest::newRow("not json") << good + good + "{type: refund}\n"
                              << "triage.jsonl"
                              << "f.jsonl:3:";
    QTest::newRow("array") << good + "[1, 2]\n"
                           << "triage.jsonl"
                           << "f.jsonl:2:";
    QTest::newRow("unknown key") << "{\"type\": \"refund\", \"txt\": \"x\"}\n"
                                 << "triage.jsonl"
                                 << "\"txt\"";
    QTest::newRow("no type") << "{\"text\": \"x\"}\n"
                             << "triage.jsonl"
                             << "\"type\"";
    QTest::newRow("type not a string") << "{\"type\": 3, \"text\": \"x\"}\n"
                                       << "triage.jsonl"
                                       << "\"type\"";
    QTest::newRow("no text") << "{\"type\": \"refund\"}\n"
                             << "triage.jsonl"
                             << "\"text\"";
    QTest::newRow("blank text") << "{\"type\": \"refund\", \"text\": \" \\n \"}\n"
                                << "triage.jsonl"
                                << "empty";
    QTest::newRow("bad type name") << "{\"type\": \"Refund Request\", \"text\": \"x\"}\n"
                                   << "triage.jsonl"
                                   << "Refund Request";
    QTest::newRow("invalid utf-8")
        << QString::fromLatin1("{\"type\": \"refund\", \"text\": \"\xff\"}\n") << "triage.jsonl"
        << "f.jsonl:1:";
}

void DatasetTest::examplesRefused()
{
    QFETCH(QString, jsonl);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    // Latin-1 keeps the deliberately invalid byte of the last row as it is.
    const QByteArray bytes = QTest::currentDataTag() == QByteArray("invalid utf-8")
        ? jsonl.toLatin1()
        : jsonl.toUtf8();
    const auto got = parseExamples(bytes.toStdString(), "f.jsonl");
    QVERIFY(!got.ok());
    QCOMPARE(QString::fromStdString(got.failure().code), code);
    QVERIFY2(QString::fromStdString(got.failure().message).contains(mentions),
        got.failure().message.c_str());
}

void DatasetTest::missingFile()
{
    const auto examples = latch::triage::loadExamples("/nonexistent/starter.jsonl");
    QCOMPARE(QString::fromStdString(examples.failure().code), QString("triage.io"));
    QVERIFY(examples.failure().message.find("/nonexistent/starter.jsonl") != std::string::npos);
    const auto thresholds = latch::triage::loadThresholds("/nonexistent/thresholds.json");
    QCOMPARE(QString::fromStdString(thresholds.failure().code), QString("triage.io"));
}

void DatasetTest::thresholdsAccepted()
{
    const auto got = parseThresholds(
        R"({"comment": "why", "default": 0.4, "types": {"refund": 0.35, "other": 1}})", "t.json");
    QVERIFY2(got.ok(), got ? "" : got.failure().message.c_str());
    QCOMPARE(got->fallback, 0.4);
    QCOMPARE(got->forType("refund"), 0.35);
    QCOMPARE(got->forType("other"), 1.0);
    QCOMPARE(got->forType("escalation"), 0.4);

    const auto defaults = parseThresholds("{}", "t.json");
    QVERIFY(defaults.ok());
    QCOMPARE(defaults->forType("refund"), 0.5);
}

void DatasetTest::thresholdsRefused_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not json") << "{default: 0.5}"
                              << "not valid JSON";
    QTest::newRow("not an object") << "[0.5]"
                                   << "object";
    QTest::newRow("default too high") << R"({"default": 1.5})"
                                      << "\"default\"";
    QTest::newRow("default a string") << R"({"default": "0.5"})"
                                      << "\"default\"";
    QTest::newRow("types not a map") << R"({"types": [0.5]})"
                                     << "\"types\"";
    QTest::newRow("negative") << R"({"types": {"refund": -0.1}})"
                              << "\"refund\"";
    QTest::newRow("bad type name") << R"({"types": {"Refund": 0.5}})"
                                   << "\"Refund\"";
    QTest::newRow("unknown key") << R"({"defualt": 0.5})"
                                 << "\"defualt\"";
}

void DatasetTest::thresholdsRefused()
{
    QFETCH(QString, json);
    QFETCH(QString, mentions);
    const auto got = parseThresholds(json.toStdString(), "t.json");
    QVERIFY(!got.ok());
    QCOMPARE(QString::fromStdString(got.failure().code), QString("triage.thresholds"));
    const QString message = QString::fromStdString(got.failure().message);
    QVERIFY2(message.startsWith("t.json: ") && message.contains(mentions), qPrintable(message));
}

void DatasetTest::typeNames()
{
    for (const char* ok : { "refund", "vendor_bank_change", "a", "type2" }) {
        QVERIFY2(latch::triage::isValidTypeName(ok), ok);
    }
    for (const char* bad : { "", "Refund", "2fa", "_x", "refund-request", "r\xC3\xBC" }) {
        QVERIFY2(!latch::triage::isValidTypeName(bad), bad);
    }
    QVERIFY(!latch::triage::isValidTypeName(std::string(65, 'a')));
}

QTEST_GUILESS_MAIN(DatasetTest)
#include "datasettest.moc"
