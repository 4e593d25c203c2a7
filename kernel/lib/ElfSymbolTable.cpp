#include "kernel/lib/ElfSymbolTable.h"

#include <cstring>

namespace fluid {

struct [[gnu::packed]] ElfSymbolTable::Symbol {
    uint32_t name;
    uint8_t info;
    uint8_t other;
    uint16_t section;
    uint64_t value;
    uint64_t size;
};

static constexpr uint8_t stt_func = 2;

ErrorOr<void> ElfSymbolTable::init(const void* symtab, size_t symtab_size, const char* strtab, size_t strtab_size)
{
    static_assert(sizeof(Symbol) == 24);
    if (!symtab || !strtab)
        return Error::from(ErrorCode::Invalid, "ELF symbols: table missing");
    if (symtab_size % sizeof(Symbol) != 0)
        return Error::format(ErrorCode::Invalid, "ELF symbols: size %zu is not a multiple of 24", symtab_size);
    if (strtab_size == 0 || strtab[strtab_size - 1] != '\0')
        return Error::from(ErrorCode::Invalid, "ELF symbols: string table not NUL-terminated");
    auto* symbols = static_cast<const Symbol*>(symtab);
    size_t count = symtab_size / sizeof(Symbol);
    size_t functions = 0;
    for (size_t i = 0; i < count; ++i) {
        if (symbols[i].name >= strtab_size)
            return Error::format(ErrorCode::Invalid, "ELF symbols: symbol %zu names offset %u past the string table",
                                 i, symbols[i].name);
        if ((symbols[i].info & 0xf) == stt_func)
            ++functions;
    }
    m_symbols = symbols;
    m_count = count;
    m_function_count = functions;
    m_strings = strtab;
    m_strings_size = strtab_size;
    return {};
}

const char* ElfSymbolTable::lookup(uint64_t address, uint64_t* offset) const
{
    const Symbol* best = nullptr;
    for (size_t i = 0; i < m_count; ++i) {
        const Symbol& s = m_symbols[i];
        if ((s.info & 0xf) != stt_func || s.value > address)
            continue;
        bool inside = s.size ? address < s.value + s.size : true;
        if (inside && (!best || s.value > best->value))
            best = &s;
    }
    if (!best)
        return nullptr;
    if (offset)
        *offset = address - best->value;
    return m_strings + best->name;
}

uint64_t ElfSymbolTable::address_of(const char* name) const
{
    for (size_t i = 0; i < m_count; ++i) {
        if ((m_symbols[i].info & 0xf) == stt_func && strcmp(m_strings + m_symbols[i].name, name) == 0)
            return m_symbols[i].value;
    }
    return 0;
}

} // namespace fluid
