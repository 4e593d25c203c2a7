// Error values for code that can fail. We never throw: a fallible function
// returns ErrorOr<T> (see ErrorOr.h), and an Error carries a short,
// human-readable message that names what went wrong and where, e.g.
// "FAT: cluster 70000 of /boot/kernel.elf is beyond the volume".
//
// The text lives inline so that building an error never allocates: errors
// are produced on paths where the heap may be the thing that failed.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>

namespace fluid {

// Broad classes, so callers can react without parsing text.
enum class ErrorCode : uint8_t {
    Invalid,      // malformed input (bad magic, bad checksum, out-of-range field)
    NotFound,     // no such file, table, symbol or command
    NoMemory,     // an allocator ran dry
    Unsupported,  // valid input that we do not handle
    IoError,      // a device reported failure
    Exists,       // name already taken
    Busy,         // resource in use
    Timeout,      // a device or core did not answer in time
};

class Error {
public:
    static constexpr size_t max_message = 160;

    [[gnu::format(printf, 2, 3)]] static Error format(ErrorCode code, const char* fmt, ...);
    static Error vformat(ErrorCode code, const char* fmt, va_list args);

    // For fixed text; the message is copied.
    static Error from(ErrorCode code, const char* message);

    ErrorCode code() const { return m_code; }
    const char* message() const { return m_message; }

private:
    ErrorCode m_code { ErrorCode::Invalid };
    char m_message[max_message] {};
};

const char* error_code_name(ErrorCode);

} // namespace fluid
