#include "latchctlrun.h"

#include "serverprocess.h"

#include <QProcess>

QString CtlRun::describe() const
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(exitCode)
        .arg(QString::fromUtf8(out), QString::fromUtf8(err));
}

CtlRun runLatchctl(const QStringList& args, const QProcessEnvironment& env, int timeoutMs)
{
    auto all = QProcessEnvironment::systemEnvironment();
    for (const char* name : { "LATCH_SERVER", "LATCH_TOKEN", "LATCH_PASSWORD" })
        all.remove(QString::fromLatin1(name));
    all.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    for (const auto& key : env.keys())
        all.insert(key, env.value(key));
    QProcess p;
    p.setProcessEnvironment(all);
    p.start(ServerProcess::latchctlBinary(), args);
    CtlRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("latchctl did not finish within %1 s").arg(timeoutMs / 1000).toUtf8();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.json = QJsonDocument::fromJson(r.out);
    return r;
}
