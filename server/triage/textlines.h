#pragma once
// Messy message text (email bodies, form fields, pasted HTML) made scannable: tags are dropped
// (block tags become line breaks), the common entities are decoded, non-breaking and thin spaces
// become plain spaces, and the text is split into lines that know whether they quote an earlier
// message ("> ...", or anything under an "-----Original Message-----" marker). Offsets let the
// scanners measure distances across lines. Immutable after construction.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace latch::triage {

struct TextLine {
    std::string text; // without the quote markers
    bool quoted = false; // from an earlier message in the thread
    std::size_t offset = 0; // where the line starts in TextLines::joined()
};

class TextLines {
public:
    explicit TextLines(std::string_view raw);

    const std::vector<TextLine>& lines() const { return m_lines; }
    // Every line's text joined with '\n'; TextLine::offset indexes into it.
    const std::string& joined() const { return m_joined; }

private:
    std::vector<TextLine> m_lines;
    std::string m_joined;
};

} // namespace latch::triage
