// Address-to-name lookup over an ELF64 symbol table [System V ABI, ch. 4
// "Symbol Table"]. The table is checked once in init(); lookups then only
// touch entries that passed.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>

namespace fluid {

class ElfSymbolTable {
public:
    ErrorOr<void> init(const void* symtab, size_t symtab_size, const char* strtab, size_t strtab_size);
    bool is_loaded() const { return m_symbols != nullptr; }
    size_t function_count() const { return m_function_count; }

    // The function symbol containing `address`, or nullptr.
    const char* lookup(uint64_t address, uint64_t* offset) const;
    // The address of a function by name, or 0.
    uint64_t address_of(const char* name) const;

private:
    struct Symbol;
    const Symbol* m_symbols { nullptr };
    size_t m_count { 0 };
    size_t m_function_count { 0 };
    const char* m_strings { nullptr };
    size_t m_strings_size { 0 };
};

} // namespace fluid
