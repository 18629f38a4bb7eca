#include "models/proofcontroller.h"

#include "bundle.h"
#include "bundlefiles.h"
#include "bundleverifier.h"
#include "latch/hashing.h"
#include "latch/signednote.h"
#include "models/timelinemodel.h"
#include "models/uitext.h"

#include <QDateTime>
#include <QDir>
#include <QLocale>
#include <QStandardPaths>

#include <algorithm>
#include <map>

namespace latch::app {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString dayText(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms).date(), QLocale::ShortFormat);
}

// "Note by mkim at 10:02:11", for naming an event of either side in a difference.
QString eventWords(const v1::Event& e)
{
    return ProofController::tr("%1 by %2 at %3")
        .arg(TimelineModel::eventKindText(e), q(e.actor()),
             QDateTime::fromMSecsSinceEpoch(e.time_ms()).toString(Qt::ISODate));
}

} // namespace

ProofController::ProofController(QObject* parent)
    : QObject(parent)
{
    connect(&UiText::shared(), &UiText::languageChanged, this, [this] {
        if (m_state == State::Verified || m_state == State::NotVerified)
            evaluate();
        else
            Q_EMIT proofChanged();
    });
}

ProofController::~ProofController() = default;

void ProofController::setSession(AppSession* session)
{
    if (!rebindSession(m_session, session, this))
        return;
    if (m_session) {
        connect(m_session, &AppSession::caseLoaded, this,
            [this](const QString& id, const v1::Case&, const QVector<v1::Event>& events) {
                if (id == m_caseId)
                    setCopy(events);
            });
        connect(m_session, &AppSession::proofLoaded, this,
            [this](const QString& id, bool ok, const v1::QueryResult& result,
                const QVector<TrustedKey>& keys, const QString& keysNote, const QString& code,
                const QString& message) {
                if (id == m_caseId && m_state == State::Checking)
                    setProof(ok, result, keys, keysNote, code, message);
            });
        connect(m_session, &AppSession::stateChanged, this, [this] {
            if (m_active && m_state == State::Unavailable && m_session->online())
                check();
        });
    }
    Q_EMIT sessionChanged();
    if (m_session && !m_caseId.isEmpty())
        m_session->loadCase(m_caseId);
}

void ProofController::setCaseId(const QString& caseId)
{
    if (m_caseId == caseId)
        return;
    m_caseId = caseId;
    m_copy.clear();
    reset();
    m_exportDir.clear();
    m_exportMessage.clear();
    m_exportFailed = false;
    Q_EMIT caseIdChanged();
    Q_EMIT proofChanged();
    Q_EMIT exportChanged();
    if (m_session && !m_caseId.isEmpty()) {
        m_session->loadCase(m_caseId);
        if (m_active)
            check();
    }
}

void ProofController::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    if (m_active && (m_state == State::Idle || m_stale || m_state == State::Unavailable))
        check();
}

void ProofController::reset()
{
    m_state = State::Idle;
    m_stale = false;
    m_result.Clear();
    m_keys.clear();
    m_checkedCopy.clear();
    m_summary.clear();
    m_problems.clear();
    m_keyWarning.clear();
    m_keysNote.clear();
    m_signers.clear();
    m_checkpointSize = 0;
    m_checkpointRoot.clear();
    m_checkedAt = 0;
}

void ProofController::check()
{
    if (!m_session || m_caseId.isEmpty())
        return;
    m_state = State::Checking;
    m_stale = false;
    m_copyVersion = m_copy.isEmpty() ? 0 : m_copy.back().case_version();
    m_checkedAt = nowMs();
    Q_EMIT proofChanged();
    m_session->loadProof(m_caseId);
}

void ProofController::setCopy(const QVector<v1::Event>& events)
{
    const quint64 before = m_copy.isEmpty() ? 0 : m_copy.back().case_version();
    m_copy = events;
    const quint64 now = m_copy.isEmpty() ? 0 : m_copy.back().case_version();
    if (now == before)
        return;
    // New events: the proof shown no longer covers the whole case.
    if (m_state == State::Checking)
        m_stale = true;
    else if (m_state != State::Idle)
        m_stale = now != m_copyVersion;
    if (m_stale && m_active && m_state != State::Checking)
        check();
}

void ProofController::setProof(bool ok, const v1::QueryResult& result,
                               const QVector<TrustedKey>& keys, const QString& keysNote,
                               const QString& code, const QString& message)
{
    if (ok && m_stale && m_session) {
        // The copy moved on while this proof was on its way: held against the newer copy it would
        // read as a history cut short. Ask again instead of showing it.
        check();
        return;
    }
    const qint64 askedAt = m_checkedAt;
    reset();
    m_checkedAt = askedAt ? askedAt : nowMs();
    if (!ok) {
        m_state = State::Unavailable;
        m_summary = message.isEmpty() ? tr("The server gave no proof (%1).").arg(code) : message;
        Q_EMIT proofChanged();
        return;
    }
    m_result = result;
    m_keys = keys;
    m_keysNote = keysNote;
    m_checkedCopy = m_copy;
    evaluate();
}

void ProofController::evaluate()
{
    // Everything shown is derived here from the proof, the keys and the copy, so a change of
    // language only has to run this again.
    const v1::CaseProof& proof = m_result.case_proof();
    m_problems.clear();
    m_signers.clear();
    m_keyWarning.clear();

    // The keys this computer trusts, and which of them signed the checkpoint. A key first seen
    // within a day is pointed out: either this computer's first proof from the server, or a key
    // the server added beside one trusted before (a rotation, or someone else's key).
    constexpr qint64 kNewKeyMs = 24 * 3'600'000;
    std::vector<note::VerifierKey> verifiers;
    std::vector<std::pair<note::VerifierKey, qint64>> decoded;
    for (const auto& k : m_keys) {
        auto key = note::decodeVerifierKey(k.verifierKey.toStdString());
        if (!key)
            continue;
        verifiers.push_back(*key);
        decoded.emplace_back(*key, k.firstSeenMs);
    }
    const cli::BundleCheck verdict = cli::verifyBundle(cli::bundleFromProof(proof), verifiers);
    for (const auto& problem : verdict.problems)
        m_problems << q(problem);
    if (verifiers.empty())
        m_problems.prepend(tr("This computer knows no log key of this server to check the "
                              "checkpoint's signature with."));
    m_checkpointSize = verdict.checkpoint.size;
    m_checkpointRoot = q(toHex(std::string(verdict.checkpoint.root.begin(),
                                            verdict.checkpoint.root.end())));
    for (const auto& [key, firstSeen] : decoded) {
        if (!note::open(proof.checkpoint(), { key }))
            continue;
        m_signers << tr("%1 (key id %2), trusted by this computer since %3")
                         .arg(q(key.name))
                         .arg(key.keyId, 8, 16, QLatin1Char('0'))
                         .arg(dayText(firstSeen));
        if (nowMs() - firstSeen >= kNewKeyMs)
            continue;
        const bool olderKey = std::any_of(decoded.begin(), decoded.end(), [&](const auto& other) {
            return other.second < firstSeen;
        });
        const QString id = QStringLiteral("%1").arg(key.keyId, 8, 16, QLatin1Char('0'));
        m_keyWarning = olderKey
            ? tr("The checkpoint is signed by a key this computer first saw on %1 (key id %2), "
                 "beside the key it trusted before: the server says it has a new log key. "
                 "Compare the key id with what `latch-server key` prints before relying on it.")
                  .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(firstSeen),
                                          QLocale::ShortFormat),
                       id)
            : tr("This computer has trusted this server's log key (key id %1) since its first "
                 "proof, on %2. Compare the key id with what `latch-server key` prints.")
                  .arg(id, QLocale().toString(QDateTime::fromMSecsSinceEpoch(firstSeen),
                                              QLocale::ShortFormat));
    }
    compareWithCopy();

    const int events = proof.events_size();
    const quint64 version = events > 0 ? proof.events(events - 1).case_version() : 0;
    if (m_problems.isEmpty()) {
        m_state = State::Verified;
        m_summary = tr("All %n event(s) of this case, versions 1 to %1, are in the signed log "
                       "%2, and their hash chain is whole. This computer's copy matches them.",
                       "", events)
                        .arg(version)
                        .arg(q(proof.origin()));
        const quint64 copyVersion
            = m_checkedCopy.isEmpty() ? 0 : m_checkedCopy.back().case_version();
        if (version > copyVersion && copyVersion > 0)
            m_summary += QLatin1Char(' ')
                + tr("The server has %n newer event(s) than this computer; they arrive with the "
                     "next sync.", "", int(version - copyVersion));
    } else {
        m_state = State::NotVerified;
        m_summary = tr("This case's history does not match the server's signed log. A stored "
                       "event was changed, removed or added after it was logged, or the proof was "
                       "damaged on its way. Tell your administrator: `latch-server verify` names "
                       "the first bad event.");
    }
    Q_EMIT proofChanged();
}

void ProofController::compareWithCopy()
{
    const v1::CaseProof& proof = m_result.case_proof();
    std::map<quint64, const v1::Event*> proven;
    quint64 provenUpTo = 0;
    for (const auto& e : proof.events()) {
        proven.emplace(e.case_version(), &e);
        provenUpTo = std::max<quint64>(provenUpTo, e.case_version());
    }
    for (const auto& mine : m_checkedCopy) {
        const auto it = proven.find(mine.case_version());
        if (it == proven.end()) {
            if (mine.case_version() > provenUpTo)
                m_problems << tr("This computer has version %1 of the case (%2), but the "
                                 "server's proof ends at version %3: the server's history is "
                                 "shorter than what this computer was sent.")
                                  .arg(mine.case_version())
                                  .arg(eventWords(mine))
                                  .arg(provenUpTo);
            continue; // a gap inside the proof is named by the proof's own check
        }
        const v1::Event& logged = *it->second;
        if (logged.seq() != mine.seq() || logged.payload_case() != mine.payload_case()
            || logged.actor() != mine.actor() || logged.time_ms() != mine.time_ms())
            m_problems << tr("Version %1 differs: this computer was sent %2, the signed log "
                             "holds %3.")
                              .arg(mine.case_version())
                              .arg(eventWords(mine), eventWords(logged));
    }
}

QString ProofController::headline() const
{
    switch (m_state) {
    case State::Idle:
        return tr("Not checked yet");
    case State::Checking:
        return tr("Checking…");
    case State::Verified:
        return tr("Verified");
    case State::NotVerified:
        return tr("Not verified");
    case State::Unavailable:
        return tr("Cannot check now");
    }
    return {};
}

QString ProofController::origin() const
{
    return q(m_result.case_proof().origin());
}

QString ProofController::checkpointText() const
{
    return q(m_result.case_proof().checkpoint());
}

QString ProofController::rulesVersion() const
{
    return q(m_result.case_proof().rules_version());
}

QString ProofController::checkedAtText() const
{
    if (m_checkedAt == 0 || m_state == State::Checking)
        return {};
    return tr("Checked at %1").arg(QLocale().toString(
        QDateTime::fromMSecsSinceEpoch(m_checkedAt).time(), QLocale::ShortFormat));
}

QUrl ProofController::reportUrl() const
{
    if (m_exportDir.isEmpty())
        return {};
    return QUrl::fromLocalFile(QDir(m_exportDir).filePath(QStringLiteral("report.html")));
}

QString ProofController::suggestedExportDir() const
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (base.isEmpty())
        base = QDir::homePath();
    return QDir(base).filePath(
        QStringLiteral("Latch exports/case-%1-%2")
            .arg(m_caseId.left(8),
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
}

bool ProofController::exportTo(const QString& where)
{
    const auto failed = [this](const QString& why) {
        m_exportDir.clear();
        m_exportMessage = why;
        m_exportFailed = true;
        Q_EMIT exportChanged();
        return false;
    };
    if (m_state != State::Verified && m_state != State::NotVerified)
        return failed(tr("There is no proof to export yet: check the proof first (it needs the "
                         "server)."));
    QString dir = where.trimmed();
    if (dir.startsWith(QStringLiteral("file:")))
        dir = QUrl(dir).toLocalFile();
    if (dir.isEmpty())
        return failed(tr("Choose a folder to write the bundle to."));
    const cli::People people(m_result.people());
    const auto files = cli::writeBundleFiles(
        m_result.case_proof(), people,
        { dir.toStdString(), m_session ? m_session->serverUrl().toStdString() : std::string(),
          nowMs(), false });
    if (!files) {
        if (files.failure().code == "bundle.not_empty")
            return failed(tr("%1 already holds other files; choose an empty or new folder.")
                              .arg(dir));
        return failed(q(files.failure().message));
    }
    m_exportDir = dir;
    m_exportFailed = false;
    m_exportMessage = m_state == State::Verified
        ? tr("Exported to %1: bundle.json (the events and their proofs), checkpoint.note and "
             "report.html. Anyone can check it with `latchctl verify` and the server's log key.")
              .arg(QDir::toNativeSeparators(dir))
        : tr("Exported to %1. It does not verify; the bundle shows your administrator where.")
              .arg(QDir::toNativeSeparators(dir));
    Q_EMIT exportChanged();
    return true;
}

} // namespace latch::app
