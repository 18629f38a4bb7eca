#pragma once
// The readable (non --json) output of latchctl: tables, case facts, rule checks and timelines.
// Pure formatting of protocol messages; nothing here talks to the server.
#include "latch.pb.h"
#include "people.h"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace latch::cli {

std::string statusName(v1::CaseStatus status); // "awaiting_approval"
std::string moneyText(const v1::Money& money); // "2,400.00 USD", "" when unset
std::string localTime(std::int64_t ms); // "2026-11-24 09:18:03", local time zone
std::string isoTime(std::int64_t ms); // "2026-11-24T09:18:03.120Z"
std::string shortId(const std::string& id); // first 13 characters: "0190163d-8694"
std::size_t displayWidth(const std::string& utf8); // code points, good enough for a terminal

// Columns padded to their widest cell; `rightAligned` lists the column indexes to right-align.
void printTable(std::ostream& out, const std::vector<std::string>& headers,
    const std::vector<std::vector<std::string>>& rows,
    const std::vector<std::size_t>& rightAligned = {});

// What happened, in one line of words: "approve refused [approval.role]: ...".
std::string eventSummary(const v1::Event& event, const People& people);
bool isBlocked(const v1::Event& event);
bool isVoided(const v1::Event& event);

// "  2026-11-24 09:18:03  mkim (M. Kim)  note_added  Verified — ..." ; blocked attempts start with
// "! " and say BLOCKED. Widths pad the actor and kind columns (0: no padding).
std::string timelineLine(const v1::Event& event, const People& people, std::size_t actorWidth = 0,
    std::size_t kindWidth = 0, bool color = false);

// The shortest prefix of each id (at least 8 characters) that no other id in the list shares.
std::vector<std::string> uniquePrefixes(const std::vector<std::string>& ids);

// ID shows uniquePrefixes(): each is a valid CASE argument.
void printCaseTable(std::ostream& out, const std::vector<v1::Case>& cases, const People& people);
void printCaseFacts(std::ostream& out, const v1::Case& c, const People& people);
void printRuleCheck(std::ostream& out, const v1::RuleCheck& check, const People& people);
void printTimeline(
    std::ostream& out, const std::vector<v1::Event>& events, const People& people, bool color);
void printUsers(std::ostream& out, const std::vector<v1::User>& users);
void printAudit(std::ostream& out, const std::vector<v1::AdminAuditEntry>& entries);

} // namespace latch::cli
