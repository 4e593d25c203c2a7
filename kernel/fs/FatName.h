// File names on FAT: the 8.3 short name every entry has, and the VFAT long
// name stored in UCS-2 ahead of it ([FAT] "FAT Long Directory Entries",
// "Name Matching In Short File Name Directory Entries"). Long names are
// UTF-8 in our API; case-insensitive matching folds ASCII only, as the
// OEM code page is unknown.
#pragma once

#include "kernel/fs/FatLayout.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fluid {

class FatName {
public:
    using ShortName = uint8_t[11];

    // [FAT] "FAT Long Directory Entries": the checksum of an 8.3 name kept
    // in every long-name entry so orphans can be detected.
    static uint8_t checksum(const ShortName&);

    // Rejects names FAT cannot hold: empty, ".", "..", over 255 UCS-2
    // units, control characters, \ / : * ? " < > |, trailing dot or space.
    static ErrorOr<void> validate_long_name(std::string_view name);

    // "README.TXT" or, with the NT case bits, "readme.txt".
    static std::string short_to_display(const ShortName&, uint8_t nt_flags);

    // If `name` is already a valid 8.3 name whose base and extension are
    // each all-upper or all-lower, fills `out` and the NT case bits and
    // returns true: no long-name entries are needed.
    static bool fits_short(std::string_view name, ShortName& out, uint8_t& nt_flags);

    // [FAT] "The Basis-Name Generation Algorithm": upper-cased, invalid
    // characters replaced by '_', spaces and extra periods dropped.
    // `needs_tail` is set when the basis is lossy or truncated.
    static void basis_name(std::string_view name, ShortName& out, bool& needs_tail);
    // [FAT] "The Numeric-Tail Generation Algorithm": BASE~N.EXT.
    static void with_tail(const ShortName& basis, uint32_t n, ShortName& out);

    static bool equals_ignoring_case(std::string_view a, std::string_view b);

    static ErrorOr<std::vector<uint16_t>> to_ucs2(std::string_view utf8);
    static std::string from_ucs2(const uint16_t* units, size_t count);
};

} // namespace fluid
