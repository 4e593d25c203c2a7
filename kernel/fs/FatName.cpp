#include "kernel/fs/FatName.h"

#include <cstring>

namespace fluid {

namespace {

char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 32) : c; }
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

// [FAT] "FAT Directory Structure": characters allowed in DIR_Name besides
// upper-case letters and digits.
bool is_short_char(char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return strchr("$%'-_@~`!(){}^#&", c) != nullptr && c != '\0';
}

// All letters of `part` in one case: +1 upper, -1 lower, 0 no letters,
// 2 mixed.
int case_of(std::string_view part)
{
    bool upper = false, lower = false;
    for (char c : part) {
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
    }
    return upper && lower ? 2 : lower ? -1 : upper ? 1 : 0;
}

} // namespace

uint8_t FatName::checksum(const ShortName& name)
{
    uint8_t sum = 0;
    for (uint8_t byte : name)
        sum = uint8_t(((sum & 1) ? 0x80 : 0) + (sum >> 1) + byte);
    return sum;
}

ErrorOr<void> FatName::validate_long_name(std::string_view name)
{
    if (name.empty() || name == "." || name == "..")
        return Error::format(ErrorCode::Invalid, "FAT: \"%.*s\" is not a file name", int(name.size()), name.data());
    for (char c : name) {
        if ((unsigned char)c < 0x20 || strchr("\\/:*?\"<>|", c))
            return Error::format(ErrorCode::Invalid, "FAT: name \"%.*s\" contains a forbidden character",
                                 int(name.size()), name.data());
    }
    if (name.back() == '.' || name.back() == ' ')
        return Error::format(ErrorCode::Invalid, "FAT: name \"%.*s\" ends with a dot or space", int(name.size()),
                             name.data());
    auto units = TRY(to_ucs2(name));
    if (units.size() > fat::max_long_name)
        return Error::format(ErrorCode::Invalid, "FAT: name of %zu characters is longer than 255", units.size());
    return {};
}

std::string FatName::short_to_display(const ShortName& name, uint8_t nt_flags)
{
    std::string out;
    for (size_t i = 0; i < 8 && name[i] != ' '; ++i) {
        char c = char(i == 0 && name[0] == fat::entry_kanji_e5 ? 0xE5 : name[i]);
        out += (nt_flags & fat::nt_lower_base) ? ascii_lower(c) : c;
    }
    if (name[8] != ' ')
        out += '.';
    for (size_t i = 8; i < 11 && name[i] != ' '; ++i)
        out += (nt_flags & fat::nt_lower_extension) ? ascii_lower(char(name[i])) : char(name[i]);
    return out;
}

bool FatName::fits_short(std::string_view name, ShortName& out, uint8_t& nt_flags)
{
    size_t dot = name.find('.');
    std::string_view base = name.substr(0, dot);
    std::string_view ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    if (base.empty() || base.size() > 8 || ext.size() > 3 || ext.find('.') != std::string_view::npos)
        return false;
    if (dot != std::string_view::npos && ext.empty())
        return false;
    int base_case = case_of(base), ext_case = case_of(ext);
    if (base_case == 2 || ext_case == 2)
        return false;
    memset(out, ' ', sizeof(ShortName));
    for (size_t i = 0; i < base.size(); ++i) {
        out[i] = uint8_t(ascii_upper(base[i]));
        if (!is_short_char(char(out[i])))
            return false;
    }
    for (size_t i = 0; i < ext.size(); ++i) {
        out[8 + i] = uint8_t(ascii_upper(ext[i]));
        if (!is_short_char(char(out[8 + i])))
            return false;
    }
    nt_flags = (base_case < 0 ? fat::nt_lower_base : 0) | (ext_case < 0 ? fat::nt_lower_extension : 0);
    return true;
}

void FatName::basis_name(std::string_view name, ShortName& out, bool& needs_tail)
{
    memset(out, ' ', sizeof(ShortName));
    needs_tail = false;
    size_t last_dot = name.rfind('.');
    // A leading period does not start an extension (".profile").
    if (last_dot == 0)
        last_dot = std::string_view::npos;
    auto copy = [&](std::string_view part, size_t at, size_t limit) {
        size_t n = 0;
        for (size_t i = 0; i < part.size(); ++i) {
            char c = ascii_upper(part[i]);
            if (c == ' ' || c == '.') {
                needs_tail = true;
                continue;
            }
            if ((unsigned char)c >= 0x80) {
                // Skip UTF-8 continuation bytes: one '_' per character.
                if (((unsigned char)c & 0xC0) == 0x80)
                    continue;
                c = '_';
                needs_tail = true;
            } else if (!is_short_char(c)) {
                c = '_';
                needs_tail = true;
            }
            if (n == limit) {
                needs_tail = true;
                break;
            }
            out[at + n++] = uint8_t(c);
        }
        return n;
    };
    std::string_view base = last_dot == std::string_view::npos ? name : name.substr(0, last_dot);
    std::string_view ext = last_dot == std::string_view::npos ? std::string_view() : name.substr(last_dot + 1);
    if (copy(base, 0, 8) == 0) {
        out[0] = '_';
        needs_tail = true;
    }
    copy(ext, 8, 3);
}

void FatName::with_tail(const ShortName& basis, uint32_t n, ShortName& out)
{
    memcpy(out, basis, sizeof(ShortName));
    char tail[12];
    int len = 0;
    tail[len++] = '~';
    char digits[10];
    int d = 0;
    do {
        digits[d++] = char('0' + n % 10);
        n /= 10;
    } while (n && d < 9);
    while (d)
        tail[len++] = digits[--d];
    size_t base_len = 0;
    while (base_len < 8 && basis[base_len] != ' ')
        ++base_len;
    size_t at = base_len + len > 8 ? 8 - len : base_len;
    memset(out + at, ' ', 8 - at);
    memcpy(out + at, tail, len);
}

bool FatName::equals_ignoring_case(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (ascii_upper(a[i]) != ascii_upper(b[i]))
            return false;
    }
    return true;
}

ErrorOr<std::vector<uint16_t>> FatName::to_ucs2(std::string_view utf8)
{
    std::vector<uint16_t> units;
    for (size_t i = 0; i < utf8.size();) {
        auto byte = (unsigned char)utf8[i];
        uint32_t cp;
        size_t extra;
        if (byte < 0x80)
            cp = byte, extra = 0;
        else if ((byte & 0xE0) == 0xC0)
            cp = byte & 0x1F, extra = 1;
        else if ((byte & 0xF0) == 0xE0)
            cp = byte & 0x0F, extra = 2;
        else if ((byte & 0xF8) == 0xF0)
            cp = byte & 0x07, extra = 3;
        else
            return Error::format(ErrorCode::Invalid, "FAT: name has invalid UTF-8 at byte %zu", i);
        if (extra && i + extra >= utf8.size())
            return Error::format(ErrorCode::Invalid, "FAT: name has truncated UTF-8 at byte %zu", i);
        for (size_t k = 1; k <= extra; ++k) {
            auto next = (unsigned char)utf8[i + k];
            if ((next & 0xC0) != 0x80)
                return Error::format(ErrorCode::Invalid, "FAT: name has invalid UTF-8 at byte %zu", i + k);
            cp = (cp << 6) | (next & 0x3F);
        }
        i += extra + 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units.push_back(uint16_t(0xD800 + (cp >> 10)));
            units.push_back(uint16_t(0xDC00 + (cp & 0x3FF)));
        } else {
            units.push_back(uint16_t(cp));
        }
    }
    return units;
}

std::string FatName::from_ucs2(const uint16_t* units, size_t count)
{
    std::string out;
    for (size_t i = 0; i < count; ++i) {
        uint32_t cp = units[i];
        if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < count && units[i + 1] >= 0xDC00 && units[i + 1] < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            ++i;
        } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = '?';
        }
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

} // namespace fluid
