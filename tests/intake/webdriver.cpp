#include "webdriver.h"

#include <QByteArray>
#include <QFileInfo>
#include <QTcpServer>
#include <QTest>
#include <chrono>

namespace webdriver {

namespace {

using json = nlohmann::json;

// W3C WebDriver's key for an element reference.
constexpr const char* kElement = "element-6066-11e4-a52e-4f735466cecf";

QString binary(
    const char* variable, const QString& fallback, const QString& package, QString* problem)
{
    const QString path = qEnvironmentVariable(variable, fallback);
    if (QFileInfo(path).isExecutable())
        return path;
    if (problem)
        *problem = QStringLiteral("%1 is not installed (%2 not found; install the Debian packages "
                                  "chromium and chromium-driver, e.g. with scripts/setup.sh, or "
                                  "set %3)")
                       .arg(package, path, QString::fromLatin1(variable));
    return {};
}

} // namespace

QString chromedriverBinary(QString* problem)
{
    return binary("LATCH_CHROMEDRIVER", QStringLiteral("/usr/bin/chromedriver"),
        QStringLiteral("chromedriver"), problem);
}

QString chromiumBinary(QString* problem)
{
    return binary(
        "LATCH_CHROMIUM", QStringLiteral("/usr/bin/chromium"), QStringLiteral("Chromium"), problem);
}

Driver::Driver() = default;

Driver::~Driver()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
}

bool Driver::start()
{
    const QString driver = chromedriverBinary(&m_error);
    if (driver.isEmpty() || chromiumBinary(&m_error).isEmpty())
        return false;
    {
        // A port the OS says is free; chromedriver takes it a moment later.
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            m_error = QStringLiteral("no free loopback port: ") + probe.errorString();
            return false;
        }
        m_port = probe.serverPort();
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(driver, { QStringLiteral("--port=%1").arg(m_port) });
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("chromedriver did not start: ") + m_process->errorString();
        return false;
    }
    for (int i = 0; i < 150; ++i) {
        const auto status = request("GET", "/status", {});
        if (status.received() && status.status == 200) {
            const auto body = json::parse(status.body, nullptr, false);
            if (body.is_object() && body["value"].value("ready", false))
                return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
        QTest::qWait(100);
    }
    m_error = QStringLiteral("chromedriver did not become ready: ")
        + QString::fromUtf8(m_process->readAll());
    return false;
}

latch::fakes::ClientResponse Driver::request(
    const std::string& method, const std::string& path, const std::string& body)
{
    latch::fakes::HttpClient client("127.0.0.1", m_port);
    // Starting a browser on a busy machine takes a while.
    client.setTimeout(std::chrono::seconds(90));
    latch::fakes::Headers headers;
    if (method != "GET" && method != "DELETE")
        headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    return client.request(method, path, body, headers);
}

std::unique_ptr<Session> Driver::newSession(bool javascript)
{
    const QString profile = m_profiles.filePath(QStringLiteral("profile-%1").arg(++m_sessions));
    json options { { "binary", chromiumBinary(nullptr).toStdString() },
        { "args",
            { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1000,1250", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile.toStdString() } } };
    if (!javascript)
        options["prefs"] = { { "profile.managed_default_content_settings.javascript", 2 } };
    const json capabilities { { "capabilities",
        { { "alwaysMatch",
            { { "browserName", "chrome" }, { "goog:chromeOptions", options } } } } } };
    const auto r = request("POST", "/session", capabilities.dump());
    const auto body = json::parse(r.body, nullptr, false);
    if (!r.received() || r.status != 200 || !body.is_object()
        || !body["value"].contains("sessionId")) {
        m_error = QStringLiteral("chromedriver made no session: %1 %2")
                      .arg(QString::fromStdString(r.error), QString::fromStdString(r.body));
        return nullptr;
    }
    std::unique_ptr<Session> session(
        new Session(*this, body["value"]["sessionId"].get<std::string>()));
    // Finding an element waits up to 10 s for it, as a page loads after a click.
    session->call("POST", "/timeouts", json { { "implicit", 10000 }, { "pageLoad", 60000 } });
    return session;
}

Session::~Session()
{
    call("DELETE", "");
}

std::optional<json> Session::call(
    const std::string& method, const std::string& path, const json& body)
{
    const auto r = m_driver.request(
        method, "/session/" + m_id + path, body.is_null() ? std::string() : body.dump());
    if (!r.received()) {
        m_error = method + " " + path + ": " + r.error;
        return std::nullopt;
    }
    auto parsed = json::parse(r.body, nullptr, false);
    if (r.status != 200 || !parsed.is_object()) {
        m_error = method + " " + path + ": " + std::to_string(r.status) + " " + r.body;
        return std::nullopt;
    }
    return parsed["value"];
}

bool Session::open(const std::string& url)
{
    return call("POST", "/url", json { { "url", url } }).has_value();
}

std::string Session::currentUrl()
{
    const auto v = call("GET", "/url");
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string Session::find(const std::string& css)
{
    const auto v = call("POST", "/element", json { { "using", "css selector" }, { "value", css } });
    return v && v->is_object() && v->contains(kElement) ? (*v)[kElement].get<std::string>()
                                                        : std::string();
}

bool Session::type(const std::string& css, const std::string& text)
{
    const std::string id = find(css);
    return !id.empty() && call("POST", "/element/" + id + "/value", json { { "text", text } });
}

bool Session::click(const std::string& css)
{
    const std::string id = find(css);
    return !id.empty() && call("POST", "/element/" + id + "/click", json::object());
}

std::string Session::text(const std::string& css)
{
    const std::string id = find(css);
    const auto v = id.empty() ? std::nullopt : call("GET", "/element/" + id + "/text");
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string Session::property(const std::string& css, const std::string& name)
{
    const std::string id = find(css);
    const auto v = id.empty() ? std::nullopt : call("GET", "/element/" + id + "/property/" + name);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string Session::source()
{
    const auto v = call("GET", "/source");
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string Session::screenshot()
{
    const auto v = call("GET", "/screenshot");
    if (!v || !v->is_string())
        return {};
    return QByteArray::fromBase64(QByteArray::fromStdString(v->get<std::string>())).toStdString();
}

} // namespace webdriver
