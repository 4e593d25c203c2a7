// Time: every clock reads fluid::arch::now_ns(), the TSC-based monotonic
// clock (0 until arch::clock_init() calibrates it). There is no battery
// clock yet, so wall time (CLOCK_REALTIME, time, gettimeofday) is time
// since boot, i.e. it starts at the 1970 epoch; the time zone is UTC.
// LLVM uses these for timers (-time-passes) and for printing time stamps
// (strftime through raw_ostream << TimePoint).
#include "runtime/Runtime.h"

#include <arch/clock.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sys/time.h>

extern "C" {

int clock_gettime(clockid_t clock, timespec* out)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    // One thread per CPU that never sleeps: CPU time is elapsed time.
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        break;
    default:
        errno = EINVAL;
        return -1;
    }
    uint64_t ns = fluid::arch::now_ns();
    out->tv_sec = time_t(ns / 1000000000u);
    out->tv_nsec = long(ns % 1000000000u);
    return 0;
}

int clock_getres(clockid_t, timespec* out)
{
    if (out) {
        out->tv_sec = 0;
        out->tv_nsec = 1;
    }
    return 0;
}

int gettimeofday(timeval* out, void*)
{
    uint64_t ns = fluid::arch::now_ns();
    out->tv_sec = time_t(ns / 1000000000u);
    out->tv_usec = suseconds_t(ns % 1000000000u / 1000u);
    return 0;
}

time_t time(time_t* out)
{
    time_t now = time_t(fluid::arch::now_ns() / 1000000000u);
    if (out)
        *out = now;
    return now;
}

clock_t clock() { return clock_t(fluid::arch::now_ns() / (1000000000u / CLOCKS_PER_SEC)); }

// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
tm* gmtime_r(const time_t* when, tm* out)
{
    int64_t seconds = *when;
    int64_t days = seconds / 86400;
    int64_t rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    *out = tm {};
    out->tm_hour = int(rest / 3600);
    out->tm_min = int(rest / 60 % 60);
    out->tm_sec = int(rest % 60);
    out->tm_wday = int((days % 7 + 11) % 7); // 1970-01-01 was a Thursday
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    out->tm_year = int(year - 1900);
    out->tm_mon = int(month - 1);
    out->tm_mday = int(day);
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    static const int before_month[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    out->tm_yday = before_month[out->tm_mon] + out->tm_mday - 1 + (leap && out->tm_mon > 1);
    out->tm_zone = "UTC";
    return out;
}

tm* localtime_r(const time_t* when, tm* out) { return gmtime_r(when, out); }

tm* gmtime(const time_t* when)
{
    static tm result; // not thread-safe, as in glibc
    return gmtime_r(when, &result);
}
tm* localtime(const time_t* when) { return gmtime(when); }

void tzset() { }

// The C locale's strftime for the conversions library code uses; others
// are copied through literally.
size_t strftime(char* out, size_t size, const char* format, const tm* t)
{
    static const char* const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char* const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    size_t used = 0;
    for (const char* f = format; *f; ++f) {
        char piece[64];
        int length;
        if (*f != '%' || !f[1]) {
            piece[0] = *f;
            length = 1;
        } else {
            switch (*++f) {
            case 'Y': length = snprintf(piece, sizeof piece, "%d", t->tm_year + 1900); break;
            case 'y': length = snprintf(piece, sizeof piece, "%02d", (t->tm_year + 1900) % 100); break;
            case 'm': length = snprintf(piece, sizeof piece, "%02d", t->tm_mon + 1); break;
            case 'd': length = snprintf(piece, sizeof piece, "%02d", t->tm_mday); break;
            case 'e': length = snprintf(piece, sizeof piece, "%2d", t->tm_mday); break;
            case 'j': length = snprintf(piece, sizeof piece, "%03d", t->tm_yday + 1); break;
            case 'H': length = snprintf(piece, sizeof piece, "%02d", t->tm_hour); break;
            case 'M': length = snprintf(piece, sizeof piece, "%02d", t->tm_min); break;
            case 'S': length = snprintf(piece, sizeof piece, "%02d", t->tm_sec); break;
            case 'a': length = snprintf(piece, sizeof piece, "%s", days[unsigned(t->tm_wday) % 7]); break;
            case 'b':
            case 'h': length = snprintf(piece, sizeof piece, "%s", months[unsigned(t->tm_mon) % 12]); break;
            case 'F':
                length = snprintf(piece, sizeof piece, "%d-%02d-%02d", t->tm_year + 1900, t->tm_mon + 1, t->tm_mday);
                break;
            case 'T': length = snprintf(piece, sizeof piece, "%02d:%02d:%02d", t->tm_hour, t->tm_min, t->tm_sec); break;
            case 'Z': length = snprintf(piece, sizeof piece, "UTC"); break;
            case 'z': length = snprintf(piece, sizeof piece, "+0000"); break;
            case 'n': length = snprintf(piece, sizeof piece, "\n"); break;
            case 't': length = snprintf(piece, sizeof piece, "\t"); break;
            case '%': length = snprintf(piece, sizeof piece, "%%"); break;
            default: length = snprintf(piece, sizeof piece, "%%%c", *f); break;
            }
        }
        if (used + size_t(length) >= size)
            return 0; // does not fit: strftime's contract is 0 and undefined contents
        memcpy(out + used, piece, size_t(length));
        used += size_t(length);
    }
    out[used] = '\0';
    return used;
}

size_t __strftime_l(char* out, size_t size, const char* format, const tm* t, locale_t)
{
    return strftime(out, size, format, t);
}
size_t strftime_l(char* out, size_t size, const char* format, const tm* t, locale_t l)
{
    return __strftime_l(out, size, format, t, l);
}

// Wide time formatting (std::time_put<wchar_t>) is not supported.
size_t __wcsftime_l(wchar_t*, size_t, const wchar_t*, const tm*, locale_t)
{
    FLUID_UNSUPPORTED("wcsftime");
    return 0;
}

int nanosleep(const timespec* duration, timespec*)
{
    fluid::arch::delay_us(uint64_t(duration->tv_sec) * 1000000u + uint64_t(duration->tv_nsec) / 1000u);
    return 0;
}

} // extern "C"
