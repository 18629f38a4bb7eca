// Renders every screen of the app from live data to PNG: sign-in (and its error), the queue (with
// how each case arrived), the emailed refund with triage's suggestion on its card, the story's
// refund case with its timeline and approval panel (as the preparer who was refused, and as the
// finance approver), its Proof tab, the audit screen, the offline banner with a command waiting, settings, and the dark
// theme. As a test it proves each screen loads and draws something; scripts/screenshots.sh runs
// it with LATCH_SCREENSHOT_DIR=docs/screenshots to refresh the pictures in the docs.
//
// Environment: LATCH_SERVER_URL (a running latch-server --demo; otherwise one is started from
// LATCH_SERVER_BIN), LATCH_SCREENSHOT_DIR (where the PNGs go; otherwise a temporary folder).
#include "models/appsettings.h"
#include "serverprocess.h"
#include "sync/appsession.h"
#include "uidriver.h"

#include <QDir>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(LatchPlugin)

using latch::app::AppSession;
using latch::app::AppSettings;

namespace {

std::unique_ptr<AppSession> newSession(const QString& dataDir)
{
    return newTestSession(dataDir, QStringLiteral("screenshots"));
}

// A rendered screen, not an empty or single-colour window.
bool looksDrawn(const QImage& image)
{
    if (image.isNull() || image.width() < 400)
        return false;
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return colours.size() > 20;
}

} // namespace

class ScreenshotTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void preparerScreens();
    void approverScreensInBothThemes();

private:
    bool shoot(UiDriver& ui, const QString& name);

    std::unique_ptr<ServerProcess> m_server;
    QString m_url;
    QTemporaryDir m_dirs;
    QString m_out;
    QStringList m_written;
};

void ScreenshotTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("screenshottest"));
    QStandardPaths::setTestModeEnabled(true);
    UiDriver::prepareApplication();
    QVERIFY(m_dirs.isValid());
    m_out = qEnvironmentVariable("LATCH_SCREENSHOT_DIR", m_dirs.filePath(QStringLiteral("shots")));
    QVERIFY(QDir().mkpath(m_out));
    m_url = qEnvironmentVariable("LATCH_SERVER_URL");
    if (m_url.isEmpty()) {
        QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start({ QStringLiteral("--demo") }), qPrintable(m_server->lastError()));
        m_url = m_server->url();
    }
}

bool ScreenshotTest::shoot(UiDriver& ui, const QString& name)
{
    const QString path = QDir(m_out).filePath(name + QStringLiteral(".png"));
    const QImage image = ui.grab(400);
    if (!looksDrawn(image) || !image.save(path, "PNG")) {
        qWarning() << "screen" << name << "did not render";
        return false;
    }
    m_written << path;
    qInfo() << "wrote" << path;
    return true;
}

void ScreenshotTest::preparerScreens()
{
    auto session = newSession(m_dirs.filePath(QStringLiteral("mkim")));
    UiDriver ui(session.get());
    QVERIFY(ui.loaded());
    ui.window()->resize(1280, 800);
    ui.settings()->setTheme(AppSettings::Theme::Light);

    // Sign-in, filled in, then with the answer to a wrong password.
    QVERIFY(ui.waitForItem(QStringLiteral("signInPage")));
    ui.setText(QStringLiteral("serverField"), m_url);
    ui.setText(QStringLiteral("userField"), QStringLiteral("mkim"));
    ui.setText(QStringLiteral("passwordField"), QStringLiteral("secret"));
    ui.setText(QStringLiteral("passphraseField"), kTestPassphrase);
    QVERIFY(shoot(ui, QStringLiteral("signin")));
    QVERIFY(ui.click(QStringLiteral("signInButton")));
    QVERIFY(ui.waitForItem(QStringLiteral("signInError"), 20000));
    QVERIFY(shoot(ui, QStringLiteral("signin-error")));

    QVERIFY2(ui.signIn(m_url, QStringLiteral("mkim"), kDemoPassword, kTestPassphrase),
        qPrintable(session->errorMessage()));
    QTRY_VERIFY(ui.find(QStringLiteral("queuePage"))
                    ->property("model")
                    .value<QObject*>()
                    ->property("allCount")
                    .toInt()
        > 0);
    QVERIFY(shoot(ui, QStringLiteral("queue")));

    // The refund as it arrived by email: triage's suggestion waits on its card.
    QVERIFY(!ui.openCaseBySearch(QStringLiteral("Charged twice")).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(ui.caseController()->property("triageVisible").toBool(), 15000);
    QVERIFY(shoot(ui, QStringLiteral("case-triage")));

    // The story's refund: note, ready, and M. Kim's own approval refused by the server.
    QVERIFY(!ui.openCaseBySearch(QStringLiteral("#4821")).isEmpty());
    ui.setText(QStringLiteral("searchField"), QString());
    QObject* controller = ui.caseController();
    if (controller->property("status").toString() == QLatin1String("in_review")) {
        QMetaObject::invokeMethod(controller, "addNote",
            Q_ARG(QString,
                QStringLiteral("Verified — product defect "
                               "confirmed by warehouse")));
        QVERIFY(waitFor([&] { return controller->property("pendingCount").toInt() == 0; }));
        QVERIFY(ui.click(QStringLiteral("markReadyButton")));
        QTRY_COMPARE_WITH_TIMEOUT(
            controller->property("status").toString(), QStringLiteral("awaiting_approval"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(controller->property("rulesKnown").toBool(), 15000);
        QVERIFY(ui.click(QStringLiteral("tryApproveButton")));
        QVERIFY(ui.waitForItem(QStringLiteral("refusalBanner"), 15000));
    }
    QTRY_VERIFY_WITH_TIMEOUT(controller->property("rulesKnown").toBool(), 15000);
    QVERIFY(shoot(ui, QStringLiteral("case-refused")));

    // The same case's Proof tab: checked against the signed log and this computer's copy.
    QVERIFY(ui.click(QStringLiteral("proofTab")));
    QObject* proof = ui.find(QStringLiteral("casePage"))->property("proof").value<QObject*>();
    QTRY_COMPARE_WITH_TIMEOUT(proof->property("headline").toString(), QStringLiteral("Verified"),
                              15000);
    QVERIFY(shoot(ui, QStringLiteral("case-proof")));
    QVERIFY(ui.click(QStringLiteral("timelineTab")));

    // The audit: every attempt the rules blocked, across the cases M. Kim can see.
    QVERIFY(ui.click(QStringLiteral("auditButton")));
    QVERIFY(ui.waitForItem(QStringLiteral("auditPage")));
    QObject* audit = ui.find(QStringLiteral("auditPage"))->property("model").value<QObject*>();
    QTRY_VERIFY_WITH_TIMEOUT(audit->property("searched").toBool(), 15000);
    QVERIFY(audit->property("count").toInt() > 0);
    QVERIFY(shoot(ui, QStringLiteral("audit")));
    ui.call(QStringLiteral("mainWindow"), "closeAudit");

    // Offline: a note written now waits in the outbox, and the banner says so.
    session->goOffline();
    QTRY_VERIFY(ui.waitForItem(QStringLiteral("offlineBanner")));
    QMetaObject::invokeMethod(controller, "addNote",
        Q_ARG(QString,
            QStringLiteral("Customer called again; told them "
                           "finance is reviewing.")));
    QTRY_COMPARE(session->pendingCount(), 1);
    QVERIFY(shoot(ui, QStringLiteral("offline")));
    session->goOnline();
    QTRY_VERIFY_WITH_TIMEOUT(session->state() == AppSession::State::Live, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(session->pendingCount(), 0, 15000);

    ui.call(QStringLiteral("mainWindow"), "openSettings");
    QVERIFY(ui.waitForItem(QStringLiteral("settingsPage")));
    QVERIFY(shoot(ui, QStringLiteral("settings")));
    ui.call(QStringLiteral("mainWindow"), "closeSettings");
    QVERIFY(ui.click(QStringLiteral("signOutButton")));
    QTRY_VERIFY_WITH_TIMEOUT(!session->signedIn(), 15000);
}

void ScreenshotTest::approverScreensInBothThemes()
{
    auto session = newSession(m_dirs.filePath(QStringLiteral("atorres")));
    UiDriver ui(session.get());
    QVERIFY(ui.loaded());
    ui.window()->resize(1280, 800);
    ui.settings()->setTheme(AppSettings::Theme::Light);
    QVERIFY2(ui.signIn(m_url, QStringLiteral("atorres"), kDemoPassword, kTestPassphrase),
        qPrintable(session->errorMessage()));
    QVERIFY(ui.click(QStringLiteral("filterWaiting")));
    QVERIFY(!ui.openCaseBySearch(QStringLiteral("#4821")).isEmpty());
    QObject* controller = ui.caseController();
    QTRY_VERIFY_WITH_TIMEOUT(controller->property("rulesKnown").toBool(), 15000);
    ui.setText(QStringLiteral("approveComment"), QStringLiteral("Refund reason checked"));
    QVERIFY(shoot(ui, QStringLiteral("case-approver")));

    ui.settings()->setTheme(AppSettings::Theme::Dark);
    QVERIFY(shoot(ui, QStringLiteral("case-approver-dark")));
    ui.setText(QStringLiteral("searchField"), QString());
    QVERIFY(ui.click(QStringLiteral("filterAll")));
    QVERIFY(shoot(ui, QStringLiteral("queue-dark")));
    ui.call(QStringLiteral("mainWindow"), "openSettings");
    QVERIFY(ui.waitForItem(QStringLiteral("settingsPage")));
    QVERIFY(shoot(ui, QStringLiteral("settings-dark")));
    ui.call(QStringLiteral("mainWindow"), "closeSettings");
    ui.settings()->setTheme(AppSettings::Theme::System);
}

QTEST_MAIN(ScreenshotTest)
#include "screenshottest.moc"
