// Property test: a case's stored row always equals the fold of its events. Random command streams
// from random people over a few cases, with a fixed seed per round so a failure can be replayed.
#include "corefixture.h"
#include "latch/casefold.h"
#include "latch/hashing.h"

#include <google/protobuf/util/message_differencer.h>

#include <random>

using namespace latch;

class FoldTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void foldEqualsRow_data()
    {
        QTest::addColumn<unsigned>("seed");
        for (unsigned seed : {1u, 7u, 42u, 1234u, 99991u})
            QTest::addRow("seed %u", seed) << seed;
    }

    void foldEqualsRow()
    {
        QFETCH(unsigned, seed);
        CoreFixture f;
        std::mt19937 rng(seed);
        const std::vector<std::string> people{"mkim", "atorres", "jlee", "rpatel", "admin", "chief"};
        std::vector<std::string> ids;
        for (int i = 0; i < 6; ++i)
            ids.push_back(f.createRefund(people[i % 3 == 0 ? 0 : 2], 50000 + 60000 * i));
        auto pick = [&](const auto& v) { return v[rng() % v.size()]; };

        int accepted = 0;
        for (int step = 0; step < 300; ++step) {
            const std::string who = pick(people);
            const std::string id = pick(ids);
            v1::Command c;
            switch (rng() % 9) {
            case 0:
                c.mutable_add_note()->set_case_id(id);
                c.mutable_add_note()->set_text("note " + std::to_string(step));
                break;
            case 1:
                c.mutable_set_fields()->set_case_id(id);
                c.mutable_set_fields()->mutable_amount()->set_minor(50000 + (rng() % 200) * 1000);
                c.mutable_set_fields()->mutable_amount()->set_currency(rng() % 4 ? "USD" : "EUR");
                break;
            case 2: {
                auto* sf = c.mutable_set_fields();
                sf->set_case_id(id);
                auto* field = sf->add_set_fields();
                field->set_key(std::string(1, char('a' + rng() % 5)));
                field->set_value(std::to_string(rng() % 3));
                if (rng() % 2)
                    sf->add_remove_fields(std::string(1, char('a' + rng() % 5)));
                if (rng() % 3 == 0)
                    sf->set_customer(rng() % 2 ? "Acme Co" : "Acme Corporation");
                break;
            }
            case 3:
                c.mutable_assign()->set_case_id(id);
                c.mutable_assign()->set_assignee(rng() % 3 ? pick(people) : "");
                break;
            case 4:
                c.mutable_mark_ready()->set_case_id(id);
                break;
            case 5:
            case 6:
                c.mutable_approve()->set_case_id(id);
                break;
            case 7:
                c.mutable_deny()->set_case_id(id);
                c.mutable_deny()->set_reason("not convinced");
                break;
            default:
                if (rng() % 2)
                    c.mutable_close()->set_case_id(id);
                else
                    c.mutable_reopen()->set_case_id(id);
                break;
            }
            f.now += 1000 + rng() % 100'000;
            if (f.run(who, c).accepted())
                ++accepted;
        }
        QVERIFY2(accepted > 50, "the random stream should exercise real transitions");

        auto view = f.store->read();
        std::set<v1::CaseStatus> seen;
        for (const auto& id : ids) {
            const auto events = view->caseEvents(id);
            const auto row = view->loadCase(id);
            QVERIFY(row.has_value());
            const v1::Case folded = latch::foldEvents(events);
            std::string diff;
            google::protobuf::util::MessageDifferencer differ;
            differ.ReportDifferencesToString(&diff);
            QVERIFY2(differ.Compare(folded, *row), diff.c_str());
            QVERIFY(verifyCaseChain(events).empty());
            seen.insert(row->status());
        }
        QVERIFY(seen.size() >= 2);
    }

    void fieldsStaySorted()
    {
        v1::Case c;
        for (const char* key : {"m", "b", "z", "a", "m", "c"})
            latch::setField(c, key, std::string("v") + key);
        QStringList keys;
        for (const auto& f : c.fields())
            keys << QString::fromStdString(f.key());
        QCOMPARE(keys, (QStringList{"a", "b", "c", "m", "z"}));
        latch::removeField(c, "c");
        QCOMPARE(c.fields_size(), 4);
        QVERIFY(latch::findField(c, "c") == nullptr);
        QCOMPARE(*latch::findField(c, "z"), std::string("vz"));
    }
};

QTEST_GUILESS_MAIN(FoldTest)
#include "foldtest.moc"
