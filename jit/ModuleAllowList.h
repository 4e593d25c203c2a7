// The optional /modules/ALLOWED manifest (docs/RELIABILITY.md, "Module
// safety"): SHA-256 hashes of the modules a machine may load. When the file
// is present, a module loads only if the manifest lists its file name with
// its exact SHA-256; when it is absent, everything loads as before.
//
// The format is what GNU `sha256sum *.bc > ALLOWED` writes, one module a line:
//
//   4f1c...e9a0  fib.bc          (text mode: two spaces)
//   4f1c...e9a0 *fib.bc          (binary mode: space, star)
//   # a comment                  (and blank lines)
//
// Hex may be either case, a line may end in CRLF, and a name given with a
// directory (`sha256sum modules/*.bc`) counts by its last component. Names
// compare without regard to ASCII case, as FAT does.
//
// Parsing is strict: a line that is not one of the above is an error naming
// the line and what is wrong, and a manifest that fails to parse refuses
// every module (fail closed) rather than some.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fluid::jit {

class ModuleAllowList {
public:
    using Digest = std::array<uint8_t, 32>;
    // A manifest larger than this is refused (a module list, not a file dump).
    static constexpr size_t max_bytes = 1 << 20;

    struct Entry {
        Digest sha256 {};
        std::string name; // "fib.bc"
        size_t line { 0 };
    };

    enum class State { Absent, Active, Broken };

    // No manifest: every module is allowed.
    ModuleAllowList() = default;

    // Parses `text`, the manifest read from `source` (the path messages name).
    static ErrorOr<ModuleAllowList> parse(std::string_view source, std::string_view text);
    // parse, with a malformed manifest turned into one that refuses every
    // module and says why: what a loader wants.
    static ModuleAllowList from_manifest(std::string_view source, std::string_view text);
    // A manifest that exists but cannot be read: refuses every module.
    static ModuleAllowList refusing_all(std::string_view source, std::string_view problem);

    State state() const { return m_state; }
    const std::string& source() const { return m_source; }
    const std::vector<Entry>& entries() const { return m_entries; }
    // Why a Broken manifest refuses everything ("/modules/ALLOWED line 3: ...").
    const std::string& problem() const { return m_problem; }

    // Whether the module file `file_name` ("fib.bc") with these bytes may
    // load; the error says why not, starting with "refused: ".
    ErrorOr<void> check(std::string_view file_name, std::span<const uint8_t> bytes) const;

    static Digest sha256(std::span<const uint8_t>);
    static std::string hex(const Digest&);

private:
    const Entry* find_name(std::string_view name) const;
    const Entry* find_digest(const Digest&) const;

    State m_state { State::Absent };
    std::string m_source;
    std::vector<Entry> m_entries;
    std::string m_problem;
};

} // namespace fluid::jit
