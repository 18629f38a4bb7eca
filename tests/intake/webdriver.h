#pragma once
// A minimal W3C WebDriver client for the browser suites: starts chromedriver on a free loopback
// port, opens headless Chromium sessions and speaks the HTTP API (navigate, find, type, click,
// read, screenshot). Enough to drive a plain HTML form the way a person does.
//
// Threading: the test's thread only. Each call blocks until chromedriver answers.
#include "../fakes/httpclient.h"

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace webdriver {

// chromedriver and Chromium, by their Debian paths ($LATCH_CHROMEDRIVER, $LATCH_CHROMIUM override);
// "" when missing, with why in `problem`.
QString chromedriverBinary(QString* problem);
QString chromiumBinary(QString* problem);

class Driver;

class Session {
public:
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    bool open(const std::string& url);
    std::string currentUrl();
    // The element's WebDriver id, waiting up to the implicit timeout; "" when not found.
    std::string find(const std::string& css);
    bool type(const std::string& css, const std::string& text);
    bool click(const std::string& css);
    std::string text(const std::string& css);
    std::string property(const std::string& css, const std::string& name);
    std::string source();
    // PNG bytes of the viewport; empty on failure.
    std::string screenshot();
    // The last error chromedriver reported (or the transport's).
    const std::string& lastError() const { return m_error; }

private:
    friend class Driver;
    Session(Driver& driver, std::string id)
        : m_driver(driver)
        , m_id(std::move(id))
    {
    }
    std::optional<nlohmann::json> call(
        const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);

    Driver& m_driver;
    std::string m_id;
    std::string m_error;
};

class Driver {
public:
    Driver();
    ~Driver();

    // Starts chromedriver and waits until it is ready; false with error() filled otherwise.
    bool start();
    // A new headless Chromium. `javascript`: false blocks JavaScript on every page.
    std::unique_ptr<Session> newSession(bool javascript);
    const QString& error() const { return m_error; }

private:
    friend class Session;
    latch::fakes::ClientResponse request(
        const std::string& method, const std::string& path, const std::string& body);

    std::unique_ptr<QProcess> m_process;
    QTemporaryDir m_profiles;
    quint16 m_port = 0;
    int m_sessions = 0;
    QString m_error;
};

} // namespace webdriver
