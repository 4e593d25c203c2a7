// ErrorOr<T>: either a T or an Error, in the style of SerenityOS.
//
//   ErrorOr<Table> parse(Span bytes);
//   auto table = TRY(parse(bytes));     // returns the error to our caller
//
// It is [[nodiscard]] so a failure cannot be dropped silently. Accessing
// the wrong alternative is a broken invariant and traps.
#pragma once

#include "kernel/lib/Error.h"

#include <new>
#include <type_traits>
#include <utility>

namespace fluid {

template<typename T>
class [[nodiscard]] ErrorOr {
public:
    ErrorOr(T value) : m_has_value(true) { new (&m_value) T(std::move(value)); }
    ErrorOr(Error error) : m_has_value(false) { new (&m_error) Error(error); }

    template<typename U>
        requires(std::is_convertible_v<U, T> && !std::is_same_v<std::decay_t<U>, T>
                 && !std::is_same_v<std::decay_t<U>, Error>)
    ErrorOr(U&& value) : ErrorOr(T(std::forward<U>(value)))
    {
    }

    ErrorOr(ErrorOr&& other) : m_has_value(other.m_has_value)
    {
        if (m_has_value)
            new (&m_value) T(std::move(other.m_value));
        else
            new (&m_error) Error(other.m_error);
    }
    ErrorOr(const ErrorOr&) = delete;
    ErrorOr& operator=(const ErrorOr&) = delete;
    ErrorOr& operator=(ErrorOr&&) = delete;

    ~ErrorOr()
    {
        if (m_has_value)
            m_value.~T();
    }

    bool is_error() const { return !m_has_value; }
    explicit operator bool() const { return m_has_value; }

    T& value()
    {
        check(m_has_value);
        return m_value;
    }
    const T& value() const
    {
        check(m_has_value);
        return m_value;
    }
    T release_value()
    {
        check(m_has_value);
        return std::move(m_value);
    }
    const Error& error() const
    {
        check(!m_has_value);
        return m_error;
    }
    Error release_error() { return error(); }

    T* operator->() { return &value(); }
    T& operator*() { return value(); }

private:
    static void check(bool ok)
    {
        if (!ok)
            __builtin_trap();
    }

    bool m_has_value;
    union {
        T m_value;
        Error m_error;
    };
};

template<>
class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() = default;
    ErrorOr(Error error) : m_has_error(true), m_error(error) { }

    bool is_error() const { return m_has_error; }
    explicit operator bool() const { return !m_has_error; }
    const Error& error() const
    {
        if (!m_has_error)
            __builtin_trap();
        return m_error;
    }
    Error release_error() { return error(); }
    void release_value() { }

private:
    bool m_has_error { false };
    Error m_error {};
};

} // namespace fluid

// Evaluate an ErrorOr expression; on error return it from the enclosing
// function, otherwise yield the value. Uses a GNU statement expression, as
// SerenityOS does; both clang and gcc accept it.
#define TRY(expression)                                  \
    ({                                                   \
        auto _fluid_try_result = (expression);           \
        if (_fluid_try_result.is_error()) [[unlikely]]   \
            return _fluid_try_result.release_error();    \
        _fluid_try_result.release_value();               \
    })
