#pragma once
// The readable report `latchctl export` writes beside the bundle: one self-contained HTML page
// (no scripts, no external resources) that tells the case's story in plain words — how it came in,
// what triage suggested and what people decided, notes, approvals and the attempts the rules
// refused, the actions' requests and responses, the result — followed by the proof it rests on
// (the checkpoint, its signer, the rules version) and how to check it.
//
// The facts it shows are folded from the events themselves, so the page says nothing the proven
// events do not.
#include "latch.pb.h"
#include "latch/text.h"
#include "people.h"

#include <cstdint>
#include <string>

namespace latch::cli {

struct ReportContext {
    std::string server; // where it was exported from
    std::int64_t exportedMs = 0;
    std::string bundleDir; // for the "how to check it" line
};

std::string caseReportHtml(
    const v1::CaseProof& proof, const People& people, const ReportContext& context);

// Text made safe to put in HTML content and attribute values (latch/text.h).
using latch::htmlEscape;

} // namespace latch::cli
