#pragma once
// Runs the real latchctl ($LATCHCTL_BIN) for a suite, as a shell would: the environment is the
// system's without the LATCH_SERVER, LATCH_TOKEN and LATCH_PASSWORD a developer may have set, with
// NO_COLOR=1, then `env` on top (LATCHCTL_CONFIG for the user's session file, for example).
#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

struct CtlRun {
    int exitCode = -1; // -1: it crashed or did not finish within the time given
    QByteArray out;
    QByteArray err;
    QJsonDocument json; // stdout, when it is JSON
    QString text() const { return QString::fromUtf8(out + err); }
    QJsonObject object() const { return json.object(); }
    QJsonArray array() const { return json.array(); }
    QString describe() const; // exit code, stdout and stderr, for a failure message
};

CtlRun runLatchctl(const QStringList& args, const QProcessEnvironment& env = {},
                   int timeoutMs = 60000);
