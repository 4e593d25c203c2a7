#include "jit/ModuleAllowList.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/SHA256.h>

#include <map>

namespace fluid::jit {

namespace {

constexpr size_t digest_hex_digits = 64;

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool same_name(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

std::string lowered(std::string_view name)
{
    std::string out(name);
    for (char& c : out)
        c = lower(c);
    return out;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

// "modules/fib.bc" -> "fib.bc": sha256sum keeps the path it was given.
std::string_view base_name(std::string_view path)
{
    size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// One "<64 hex><space><space or *><name>" line of sha256sum's output.
ErrorOr<ModuleAllowList::Entry> parse_line(std::string_view source, size_t number, std::string_view line)
{
    auto fail = [&](const char* what) {
        return Error::format(ErrorCode::Invalid, "%.*s line %zu: %s", int(source.size()), source.data(), number, what);
    };
    if (line.starts_with('\\'))
        return fail("escaped file names (a leading '\\') are not supported; rename the file");
    if (line.starts_with("SHA256 ("))
        return fail("BSD format (sha256sum --tag); write it with plain `sha256sum *.bc`");
    size_t hash_end = line.find_first_of(" \t");
    std::string_view hash = line.substr(0, hash_end);
    for (size_t i = 0; i < hash.size(); ++i) {
        if (hex_value(hash[i]) < 0) {
            unsigned byte = uint8_t(hash[i]);
            return Error::format(ErrorCode::Invalid, "%.*s line %zu: column %zu (byte 0x%02x) is not a hex digit",
                                 int(source.size()), source.data(), number, i + 1, byte);
        }
    }
    if (hash.size() != digest_hex_digits)
        return Error::format(ErrorCode::Invalid, "%.*s line %zu: the hash has %zu hex digits; a SHA-256 has 64",
                             int(source.size()), source.data(), number, hash.size());
    if (hash_end == std::string_view::npos)
        return fail("no file name after the hash");
    // sha256sum writes "  name" (text mode) or " *name" (binary mode).
    if (line.size() < hash_end + 2 || line[hash_end] != ' ' || (line[hash_end + 1] != ' ' && line[hash_end + 1] != '*'))
        return fail("expected two spaces or \" *\" between the hash and the file name");
    std::string_view name = base_name(line.substr(hash_end + 2));
    if (name.empty())
        return fail("no file name after the hash");
    for (char c : name) {
        if (uint8_t(c) < 0x20 || c == 0x7f)
            return fail("the file name has a control character");
    }
    ModuleAllowList::Entry entry;
    for (size_t i = 0; i < entry.sha256.size(); ++i)
        entry.sha256[i] = uint8_t(hex_value(hash[2 * i]) << 4 | hex_value(hash[2 * i + 1]));
    entry.name = std::string(name);
    entry.line = number;
    return entry;
}

} // namespace

ErrorOr<ModuleAllowList> ModuleAllowList::parse(std::string_view source, std::string_view text)
{
    if (text.size() > max_bytes)
        return Error::format(ErrorCode::Invalid, "%.*s: %zu bytes; a manifest may have at most %zu", int(source.size()),
                             source.data(), text.size(), max_bytes);
    ModuleAllowList list;
    list.m_state = State::Active;
    list.m_source = std::string(source);
    std::map<std::string, size_t> lines_by_name; // lower-case name -> line
    size_t number = 0;
    for (size_t begin = 0; begin < text.size();) {
        size_t end = text.find('\n', begin);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(begin, end - begin);
        begin = end + 1;
        ++number;
        if (line.ends_with('\r')) // written on Windows
            line.remove_suffix(1);
        if (is_blank(line) || line[line.find_first_not_of(" \t")] == '#')
            continue;
        Entry entry = TRY(parse_line(source, number, line));
        auto [it, inserted] = lines_by_name.emplace(lowered(entry.name), number);
        if (!inserted)
            return Error::format(ErrorCode::Invalid, "%.*s line %zu: %.60s is listed twice (first on line %zu)",
                                 int(source.size()), source.data(), number, entry.name.c_str(), it->second);
        list.m_entries.push_back(std::move(entry));
    }
    if (list.m_entries.empty())
        return Error::format(ErrorCode::Invalid, "%.*s lists no modules (make it with `sha256sum *.bc > ALLOWED`)",
                             int(source.size()), source.data());
    return list;
}

ModuleAllowList ModuleAllowList::from_manifest(std::string_view source, std::string_view text)
{
    auto parsed = parse(source, text);
    if (!parsed.is_error())
        return std::move(parsed.value());
    return refusing_all(source, parsed.error().message());
}

ModuleAllowList ModuleAllowList::refusing_all(std::string_view source, std::string_view problem)
{
    ModuleAllowList broken;
    broken.m_state = State::Broken;
    broken.m_source = std::string(source);
    broken.m_problem = std::string(problem);
    return broken;
}

const ModuleAllowList::Entry* ModuleAllowList::find_name(std::string_view name) const
{
    for (const Entry& e : m_entries)
        if (same_name(e.name, name))
            return &e;
    return nullptr;
}

const ModuleAllowList::Entry* ModuleAllowList::find_digest(const Digest& digest) const
{
    for (const Entry& e : m_entries)
        if (e.sha256 == digest)
            return &e;
    return nullptr;
}

ErrorOr<void> ModuleAllowList::check(std::string_view file_name, std::span<const uint8_t> bytes) const
{
    if (m_state == State::Absent)
        return {};
    if (m_state == State::Broken)
        return Error::format(ErrorCode::Invalid, "refused: %s (a malformed manifest allows nothing)", m_problem.c_str());
    Digest digest = sha256(bytes);
    std::string digest_hex = hex(digest);
    file_name = base_name(file_name);
    const Entry* listed = find_name(file_name);
    if (listed && listed->sha256 == digest)
        return {};
    if (listed)
        return Error::format(ErrorCode::Invalid, "refused: its SHA-256 %s is not the one %s line %zu gives for %.40s",
                             digest_hex.c_str(), m_source.c_str(), listed->line, listed->name.c_str());
    if (const Entry* other = find_digest(digest))
        return Error::format(ErrorCode::Invalid, "refused: %s lists its SHA-256 for %.40s (line %zu), not for %.40s",
                             m_source.c_str(), other->name.c_str(), other->line, std::string(file_name).c_str());
    return Error::format(ErrorCode::Invalid, "refused: its SHA-256 %s is not in %s", digest_hex.c_str(),
                         m_source.c_str());
}

ModuleAllowList::Digest ModuleAllowList::sha256(std::span<const uint8_t> bytes)
{
    return llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(bytes.data(), bytes.size()));
}

std::string ModuleAllowList::hex(const Digest& digest)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (uint8_t byte : digest) {
        out += digits[byte >> 4];
        out += digits[byte & 15];
    }
    return out;
}

} // namespace fluid::jit
