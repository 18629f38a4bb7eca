#include "uidriver.h"

#include "models/appsettings.h"
#include "sync/appsession.h"

#include <QAbstractItemModel>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <algorithm>

namespace {

QObject* findIn(QObject* root, const QString& name)
{
    if (!root)
        return nullptr;
    if (root->objectName() == name)
        return root;
    // QML items hang off their visual parent; popups and models off their QObject parent.
    for (QObject* child : root->children()) {
        if (QObject* hit = findIn(child, name))
            return hit;
    }
    if (auto* item = qobject_cast<QQuickItem*>(root)) {
        for (QQuickItem* child : item->childItems()) {
            if (child->parent() == root)
                continue; // already searched
            if (QObject* hit = findIn(child, name))
                return hit;
        }
    }
    return nullptr;
}

bool reallyVisible(QQuickItem* item)
{
    return item && item->isVisible() && item->width() > 0 && item->height() > 0;
}

// Scrolls every Flickable (ScrollView, ListView) around the item so that it is in view, as a user
// would before clicking; otherwise a click at its centre would land on whatever is on screen there.
void scrollIntoView(QQuickItem* target)
{
    for (QQuickItem* p = target->parentItem(); p; p = p->parentItem()) {
        if (!p->inherits("QQuickFlickable"))
            continue;
        const qreal top = target->mapToItem(p, QPointF(0, 0)).y();
        const qreal height = p->height();
        if (top >= 0 && top + target->height() <= height)
            continue;
        const qreal contentY = p->property("contentY").toReal();
        const qreal maxY = std::max<qreal>(0, p->property("contentHeight").toReal() - height);
        const qreal wanted = contentY + top - (height - target->height()) / 2;
        p->setProperty("contentY", std::clamp<qreal>(wanted, 0, maxY));
    }
}

} // namespace

bool waitFor(const std::function<bool()>& condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

void UiDriver::prepareApplication()
{
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    // The software renderer works on every machine offscreen and makes grabs reproducible.
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
}

UiDriver::UiDriver(latch::app::AppSession* session)
    : m_session(session)
    , m_settings(std::make_unique<latch::app::AppSettings>(nullptr))
    , m_engine(std::make_unique<QQmlApplicationEngine>())
{
    latch::app::AppSession::setInstance(session);
    latch::app::AppSettings::setInstance(m_settings.get());
    m_settings->setEngine(m_engine.get());
    m_engine->load(QUrl(QStringLiteral("qrc:/Latch/Main.qml")));
    if (m_engine->rootObjects().isEmpty())
        return;
    m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().constFirst());
    if (!m_window)
        return;
    m_window->show();
    m_window->requestActivate();
    if (!QTest::qWaitForWindowExposed(m_window))
        qWarning("the window was not exposed");
    QTest::qWaitForWindowActive(m_window, 2000);
}

UiDriver::~UiDriver()
{
    m_engine.reset();
    latch::app::AppSettings::setInstance(nullptr);
}

QObject* UiDriver::find(const QString& objectName) const
{
    if (!m_window)
        return nullptr;
    if (m_window->objectName() == objectName)
        return m_window;
    if (QObject* hit = findIn(m_window, objectName))
        return hit;
    return findIn(m_window->contentItem(), objectName);
}

QQuickItem* UiDriver::item(const QString& objectName) const
{
    return qobject_cast<QQuickItem*>(find(objectName));
}

QQuickItem* UiDriver::waitForItem(const QString& objectName, int timeoutMs) const
{
    QQuickItem* found = nullptr;
    QTest::qWaitFor(
        [&] {
            found = item(objectName);
            return reallyVisible(found);
        },
        timeoutMs);
    return reallyVisible(found) ? found : nullptr;
}

QVariant UiDriver::property(const QString& objectName, const char* name) const
{
    QObject* object = find(objectName);
    return object ? object->property(name) : QVariant();
}

bool UiDriver::setText(const QString& objectName, const QString& text)
{
    QObject* field = find(objectName);
    return field && field->setProperty("text", text);
}

bool UiDriver::click(const QString& objectName)
{
    QQuickItem* target = item(objectName);
    if (!reallyVisible(target) || !target->isEnabled())
        return false;
    scrollIntoView(target);
    // Something that just appeared (a plan box, a banner) can leave the layout wider than the
    // window until the next polish: wait until the item's centre is on screen.
    QPointF centre;
    const bool onScreen = QTest::qWaitFor(
        [&] {
            centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
            return QRectF(QPointF(0, 0), m_window->size()).contains(centre);
        },
        2000);
    if (!onScreen)
        return false;
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    return true;
}

void UiDriver::key(Qt::Key key, Qt::KeyboardModifiers modifiers)
{
    QTest::keyClick(m_window, key, modifiers);
}

void UiDriver::focus(const QString& objectName)
{
    if (QQuickItem* target = item(objectName))
        target->forceActiveFocus();
}

QVariant UiDriver::call(const QString& objectName, const char* function, const QVariantList& args)
{
    QObject* object = find(objectName);
    if (!object)
        return {};
    QVariant result;
    QGenericArgument a[3];
    for (int i = 0; i < args.size() && i < 3; ++i)
        a[i] = Q_ARG(QVariant, args[i]);
    QMetaObject::invokeMethod(object, function, Q_RETURN_ARG(QVariant, result), a[0], a[1], a[2]);
    return result;
}

bool UiDriver::signIn(const QString& url, const QString& user, const QString& password,
    const QString& passphrase, int timeoutMs)
{
    if (!waitForItem(QStringLiteral("signInPage")))
        return false;
    setText(QStringLiteral("serverField"), url);
    setText(QStringLiteral("userField"), user);
    setText(QStringLiteral("passwordField"), password);
    if (reallyVisible(item(QStringLiteral("passphraseField"))))
        setText(QStringLiteral("passphraseField"), passphrase);
    if (!click(QStringLiteral("signInButton")))
        return false;
    return waitFor([this] { return m_session->state() == latch::app::AppSession::State::Live; },
               timeoutMs)
        && waitForItem(QStringLiteral("workspacePage")) != nullptr;
}

QString UiDriver::openCaseBySearch(const QString& text, int timeoutMs)
{
    QObject* queue = find(QStringLiteral("queuePage"));
    if (!queue)
        return {};
    auto* model = queue->property("model").value<QAbstractItemModel*>();
    setText(QStringLiteral("searchField"), text);
    if (!model || !waitFor([model] { return model->rowCount() > 0; }, timeoutMs))
        return {};
    // Keyboard, as a user would: into the list, first row, Enter.
    focus(QStringLiteral("queueList"));
    key(Qt::Key_Home);
    item(QStringLiteral("queueList"))->setProperty("currentIndex", 0);
    key(Qt::Key_Return);
    QString id;
    waitFor(
        [&] {
            id = property(QStringLiteral("casePage"), "caseId").toString();
            QObject* controller = caseController();
            return !id.isEmpty() && controller && controller->property("loaded").toBool();
        },
        timeoutMs);
    return id;
}

QObject* UiDriver::caseController() const
{
    QObject* page = find(QStringLiteral("casePage"));
    return page ? page->property("controller").value<QObject*>() : nullptr;
}

QStringList UiDriver::timelineRows() const
{
    QStringList rows;
    QObject* controller = caseController();
    auto* model
        = controller ? controller->property("timeline").value<QAbstractItemModel*>() : nullptr;
    if (!model)
        return rows;
    const QHash<int, QByteArray> roles = model->roleNames();
    const auto role = [&](const char* name) { return roles.key(name); };
    for (int i = 0; i < model->rowCount(); ++i) {
        const QModelIndex at = model->index(i, 0);
        rows << QStringLiteral("%1|%2|%3|%4")
                    .arg(at.data(role("kind")).toString(), at.data(role("summary")).toString(),
                        at.data(role("pending")).toBool() ? "pending" : "",
                        at.data(role("rejected")).toBool() ? "rejected" : "");
    }
    return rows;
}

QImage UiDriver::grab(int settleMs)
{
    QTest::qWait(settleMs);
    return m_window ? m_window->grabWindow() : QImage();
}

bool UiDriver::savePng(const QString& path, int settleMs)
{
    const QImage image = grab(settleMs);
    return !image.isNull() && image.save(path, "PNG");
}

std::unique_ptr<latch::app::AppSession> newTestSession(const QString& dataDir,
                                                       const QString& deviceId)
{
    latch::app::SessionOptions options;
    options.dataDir = dataDir;
    options.useKeychain = false; // the passphrase field must show and protect the replica
    options.deviceId = deviceId;
    return std::make_unique<latch::app::AppSession>(options);
}
