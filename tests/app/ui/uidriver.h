#pragma once
// Drives the real QML screens from a Qt Test: loads qrc:/Latch/Main.qml in its own engine with the
// given AppSession as the `AppSession` singleton, finds items by objectName, types into fields,
// clicks with real mouse events (so disabled or hidden controls cannot be "clicked"), presses
// keys, waits for conditions, and grabs the window to PNG.
//
// One UiDriver per signed-in user: destroy it before its session.
#include <QImage>
#include <QObject>
#include <QString>
#include <QVariant>
#include <QtTest>
#include <functional>
#include <memory>

class QQmlApplicationEngine;
class QQuickItem;
class QQuickWindow;

namespace latch::app {
class AppSession;
class AppSettings;
} // namespace latch::app

class UiDriver {
public:
    // Call once before the first driver: the style and the software renderer screenshots need.
    static void prepareApplication();

    explicit UiDriver(latch::app::AppSession* session);
    ~UiDriver();

    bool loaded() const { return m_window != nullptr; }
    QQuickWindow* window() const { return m_window; }
    latch::app::AppSettings* settings() const { return m_settings.get(); }

    // The first object with this objectName under the window (items, popups, models' owners).
    QObject* find(const QString& objectName) const;
    QQuickItem* item(const QString& objectName) const;
    // Waits until the named item exists and is visible.
    QQuickItem* waitForItem(const QString& objectName, int timeoutMs = 10000) const;
    QVariant property(const QString& objectName, const char* name) const;

    bool setText(const QString& objectName, const QString& text);
    // A mouse click in the item's centre; false when it is missing, hidden or disabled.
    bool click(const QString& objectName);
    // Key press to whatever has focus in the window.
    void key(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    void focus(const QString& objectName);
    // Calls a QML function (declared with untyped parameters) on a named object.
    QVariant call(const QString& objectName, const char* function, const QVariantList& args = {});

    // Fills the sign-in page and presses Sign in; then waits for the session to be live.
    bool signIn(const QString& url, const QString& user, const QString& password,
        const QString& passphrase, int timeoutMs = 30000);
    // Searches the queue for `text`, then opens the first match with Enter; returns its case id.
    QString openCaseBySearch(const QString& text, int timeoutMs = 10000);
    // The case controller of the case page.
    QObject* caseController() const;
    // Text of every timeline row as "kind|summary|pending|rejected".
    QStringList timelineRows() const;

    // Lets animations and bindings settle, then grabs the window.
    QImage grab(int settleMs = 300);
    bool savePng(const QString& path, int settleMs = 300);

private:
    latch::app::AppSession* m_session;
    std::unique_ptr<latch::app::AppSettings> m_settings;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
};

// The demo users' password (latch-server --demo), and the passphrase the suites protect their
// replicas with (they run without a keychain).
inline const QString kDemoPassword = QStringLiteral("latch-demo");
inline const QString kTestPassphrase = QStringLiteral("correct horse battery staple");

// A session keeping its files under `dataDir`, without a keychain, as device `deviceId`.
std::unique_ptr<latch::app::AppSession> newTestSession(const QString& dataDir,
                                                       const QString& deviceId);

// QTRY_VERIFY with a message that names what was waited for.
bool waitFor(const std::function<bool()>& condition, int timeoutMs = 15000);
