#pragma once
// Internal to latch_intake_mail: GMime's one-time set-up and ownership of its objects and strings.
// Public headers never include this (nor GMime), so callers need no GLib flags.
#include <glib.h>
#include <gmime/gmime.h>
#include <memory>
#include <mutex>
#include <string>

namespace latch::intake::mail::detail {

// g_mime_init() must run before any other GMime call, once per process, and is not thread-safe on
// its own. Never undone: g_mime_shutdown() at exit would race any parse still running.
inline void ensureGMime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
    void operator()(gpointer object) const
    {
        if (object != nullptr)
            g_object_unref(object);
    }
};

// Owns one reference to a GObject (streams, parsers, messages, filters).
template <typename T> using GRef = std::unique_ptr<T, GObjectUnref>;

template <typename T> GRef<T> adopt(T* object)
{
    return GRef<T>(object);
}

struct GFree {
    void operator()(gpointer memory) const { g_free(memory); }
};

// Takes a string GLib allocated (transfer full); "" for nullptr.
inline std::string takeString(char* text)
{
    const std::unique_ptr<char, GFree> owned(text);
    return owned ? std::string(owned.get()) : std::string();
}

// A string GMime lends (transfer none) as valid UTF-8; "" for nullptr. Decoded header values are
// UTF-8 already, but an undeclared 8-bit header can still leave invalid bytes behind.
inline std::string utf8(const char* text)
{
    if (text == nullptr)
        return {};
    if (g_utf8_validate(text, -1, nullptr))
        return text;
    return takeString(g_utf8_make_valid(text, -1));
}

} // namespace latch::intake::mail::detail
