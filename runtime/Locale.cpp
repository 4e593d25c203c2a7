// Locales: there is one, "C". libstdc++'s "gnu" locale model builds its
// classic locale with __newlocale(1 << LC_ALL, "C", 0) and then reads the
// glibc `struct __locale_struct` directly: ctype<char> takes its
// __ctype_b, __ctype_tolower and __ctype_toupper pointers (Ctype.cpp),
// so __newlocale returns a real glibc-layout object. Any other locale name
// fails with ENOENT, which libstdc++ turns into "locale::facet::_S_create_c_locale
// name not valid" — reached only if code asks for a named locale.
// The *_l functions ignore their locale argument: it is always "C".
#include "runtime/Runtime.h"

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <cwctype>
#include <langinfo.h>
#include <locale.h>

namespace fluid::runtime {
const unsigned short* c_ctype_classes();
const int32_t* c_ctype_lower();
const int32_t* c_ctype_upper();
} // namespace fluid::runtime

namespace {

__locale_struct c_locale_object;
bool c_locale_ready;

locale_t c_locale()
{
    // Filled on first use rather than statically: the ctype pointers live
    // in another file. Racing first users write identical values.
    if (!c_locale_ready) {
        c_locale_object.__ctype_b = fluid::runtime::c_ctype_classes();
        c_locale_object.__ctype_tolower = fluid::runtime::c_ctype_lower();
        c_locale_object.__ctype_toupper = fluid::runtime::c_ctype_upper();
        for (auto& name : c_locale_object.__names)
            name = "C";
        c_locale_ready = true;
    }
    return &c_locale_object;
}

bool is_c_locale_name(const char* name)
{
    return !name || !*name || !strcmp(name, "C") || !strcmp(name, "POSIX") || !strcmp(name, "C.UTF-8");
}

thread_local locale_t current_locale = LC_GLOBAL_LOCALE;

// Zero bytes: an empty string, an empty wide string and the number 0, for
// nl_langinfo items we have no better answer for.
const char empty_item[16] = {};

} // namespace

extern "C" {

locale_t __newlocale(int, const char* name, locale_t)
{
    if (!is_c_locale_name(name)) {
        errno = ENOENT;
        return nullptr;
    }
    return c_locale();
}
locale_t newlocale(int mask, const char* name, locale_t base) { return __newlocale(mask, name, base); }

locale_t __duplocale(locale_t) { return c_locale(); }
locale_t duplocale(locale_t l) { return __duplocale(l); }

void __freelocale(locale_t) { }
void freelocale(locale_t) { }

locale_t __uselocale(locale_t l)
{
    locale_t previous = current_locale;
    if (l)
        current_locale = l;
    return previous;
}
locale_t uselocale(locale_t l) { return __uselocale(l); }

char* setlocale(int, const char* name)
{
    return is_c_locale_name(name) ? const_cast<char*>("C") : nullptr;
}

char* __nl_langinfo_l(nl_item item, locale_t)
{
    switch (item) {
    case CODESET:
        return const_cast<char*>("ANSI_X3.4-1968"); // what glibc's C locale reports
    case RADIXCHAR:
        return const_cast<char*>(".");
    case THOUSEP:
        return const_cast<char*>("");
    default:
        return const_cast<char*>(empty_item);
    }
}
char* nl_langinfo_l(nl_item item, locale_t l) { return __nl_langinfo_l(item, l); }
char* nl_langinfo(nl_item item) { return __nl_langinfo_l(item, nullptr); }

// Collation in the C locale is byte order.
int __strcoll_l(const char* a, const char* b, locale_t) { return strcmp(a, b); }
int strcoll(const char* a, const char* b) { return strcmp(a, b); }

size_t __strxfrm_l(char* out, const char* in, size_t size, locale_t)
{
    size_t length = strlen(in);
    if (size > length)
        memcpy(out, in, length + 1);
    return length;
}

int __wcscoll_l(const wchar_t* a, const wchar_t* b, locale_t) { return wcscmp(a, b); }

size_t __wcsxfrm_l(wchar_t* out, const wchar_t* in, size_t size, locale_t)
{
    size_t length = wcslen(in);
    if (size > length)
        wmemcpy(out, in, length + 1);
    return length;
}

double __strtod_l(const char* text, char** end, locale_t) { return strtod(text, end); }
float __strtof_l(const char* text, char** end, locale_t) { return strtof(text, end); }
long double __strtold_l(const char* text, char** end, locale_t) { return strtold(text, end); }
double strtod_l(const char* text, char** end, locale_t l) { return __strtod_l(text, end, l); }
float strtof_l(const char* text, char** end, locale_t l) { return __strtof_l(text, end, l); }
long double strtold_l(const char* text, char** end, locale_t l) { return __strtold_l(text, end, l); }

// Wide character classes: ASCII only, as in glibc's C locale. A wctype_t
// is the glibc class mask from Ctype.cpp's table.
wctype_t __wctype_l(const char* name, locale_t)
{
    static const struct {
        const char* name;
        unsigned short mask;
    } classes[] = {
        { "alnum", _ISalnum }, { "alpha", _ISalpha }, { "blank", _ISblank }, { "cntrl", _IScntrl },
        { "digit", _ISdigit }, { "graph", _ISgraph }, { "lower", _ISlower }, { "print", _ISprint },
        { "punct", _ISpunct }, { "space", _ISspace }, { "upper", _ISupper }, { "xdigit", _ISxdigit },
    };
    for (const auto& c : classes) {
        if (!strcmp(name, c.name))
            return c.mask;
    }
    return 0;
}
wctype_t wctype(const char* name) { return __wctype_l(name, nullptr); }

int __iswctype_l(wint_t c, wctype_t mask, locale_t)
{
    return c < 128 && (fluid::runtime::c_ctype_classes()[c] & mask);
}
int iswctype(wint_t c, wctype_t mask) { return __iswctype_l(c, mask, nullptr); }

wint_t __towlower_l(wint_t c, locale_t) { return c < 128 ? wint_t(fluid::runtime::c_ctype_lower()[c]) : c; }
wint_t __towupper_l(wint_t c, locale_t) { return c < 128 ? wint_t(fluid::runtime::c_ctype_upper()[c]) : c; }
wint_t towlower(wint_t c) { return __towlower_l(c, nullptr); }
wint_t towupper(wint_t c) { return __towupper_l(c, nullptr); }

// Message catalogues: none, so every message is its own translation.
char* gettext(const char* message) { return const_cast<char*>(message); }
char* dgettext(const char*, const char* message) { return const_cast<char*>(message); }
char* dcgettext(const char*, const char* message, int) { return const_cast<char*>(message); }
char* textdomain(const char* domain) { return const_cast<char*>(domain ? domain : "messages"); }
char* bindtextdomain(const char*, const char* directory) { return const_cast<char*>(directory); }
char* bind_textdomain_codeset(const char*, const char* codeset) { return const_cast<char*>(codeset); }

} // extern "C"
