#pragma once
// Readable plain text from the HTML of an e-mail that has no text/plain part (newsletters, some
// web forms, some phones). Not a renderer: it keeps the words and the line structure a reader
// needs and drops the rest.
//
//   - <script>, <style>, <title>, <template> and comments are dropped with their content;
//   - <br> ends a line; <p>, headings, lists, <blockquote>, <hr> leave a blank line; <div>, <tr>
//     and the other block elements end a line; <li> starts a line with "- "; table cells are
//     separated by a space;
//   - character references are decoded (&amp; &nbsp; &euro; &#8364; &#x20AC;, and &#128;..&#159;
//     as windows-1252, as browsers do); unknown names stay as written;
//   - whitespace is collapsed as a browser would (except inside <pre>), no line starts or ends
//     with a space, and there is at most one blank line in a row;
//   - the invisible padding mailing tools put after a preview line (zero-width joiners, soft
//     hyphens, U+034F) is removed; a no-break space becomes a space.
//
// Input and output are UTF-8 (charset conversion happens before). Links keep their text only.
//
// Threading: a pure function.
#include <string>
#include <string_view>

namespace latch::intake::mail {

std::string htmlToText(std::string_view html);

} // namespace latch::intake::mail
