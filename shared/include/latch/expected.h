#pragma once
// A value or an expected failure (a stable code and one human sentence). Used wherever input can be
// wrong: parsing money, validating config, refusing a command. Programmer errors assert instead.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace latch {

struct Failure {
    std::string code;    // stable, machine-readable: "money.ambiguous", "rules.unknown_field"
    std::string message; // one sentence a person can act on
};

template <typename T>
class Expected {
public:
    Expected(T value) : m_v(std::move(value)) {}            // NOLINT(google-explicit-constructor)
    Expected(Failure failure) : m_v(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() { assert(ok()); return std::get<0>(m_v); }
    const T& value() const { assert(ok()); return std::get<0>(m_v); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Failure& failure() const { assert(!ok()); return std::get<1>(m_v); }

private:
    std::variant<T, Failure> m_v;
};

inline Failure fail(std::string code, std::string message)
{
    return Failure{std::move(code), std::move(message)};
}

} // namespace latch
