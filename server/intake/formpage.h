#pragma once
// The HTML of the web forms: the form itself, the confirmation with the case reference, and short
// message pages (no such form, too large). Plain HTML5 that needs no JavaScript: every input has
// a label bound to it, required fields carry `required`, errors sit next to their field and are
// listed in a summary at the top, and the only styling is a small inline style sheet. Every
// value from the config or the visitor is HTML-escaped.
//
// Threading: stateless functions.
#include "core/config.h"
#include "intake/formsubmission.h"
#include "latch/text.h"

#include <string>
#include <string_view>

namespace latch::intake {

using latch::htmlEscape; // latch/text.h

class FormPage {
public:
    // The form, filled with `submission`'s values and errors. `notice` is a sentence shown
    // above the fields when the whole submission was refused (expired, too quick, ...).
    static std::string form(const core::FormConfig& form, const FormSubmission& submission,
        const std::string& token, const std::string& notice = {});

    // After a submission was recorded on case `caseId`. `duplicate`: this page was sent before,
    // nothing new was stored, and what is shown is the reference only.
    static std::string confirmation(const core::FormConfig& form, const FormSubmission& submission,
        const std::string& caseId, bool duplicate);

    // A page with a heading and a sentence, and a link to `backTo` when it is not empty.
    static std::string message(
        const std::string& heading, const std::string& sentence, const std::string& backTo = {});

    // How a case is referred to on the page: the first 13 characters of its id, as latchctl
    // shows it ("0190163d-8694"); latchctl takes it wherever a case id goes.
    static std::string reference(const std::string& caseId);
};

} // namespace latch::intake
