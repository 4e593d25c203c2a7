#include "kernel/lib/Error.h"

#include <cstdio>
#include <cstring>

namespace fluid {

Error Error::vformat(ErrorCode code, const char* fmt, va_list args)
{
    Error error;
    error.m_code = code;
    vsnprintf(error.m_message, sizeof(error.m_message), fmt, args);
    return error;
}

Error Error::format(ErrorCode code, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    Error error = vformat(code, fmt, args);
    va_end(args);
    return error;
}

Error Error::from(ErrorCode code, const char* message)
{
    return format(code, "%s", message);
}

const char* error_code_name(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Invalid: return "invalid";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::NoMemory: return "out of memory";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::IoError: return "I/O error";
    case ErrorCode::Exists: return "exists";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::Timeout: return "timeout";
    }
    return "unknown";
}

} // namespace fluid
