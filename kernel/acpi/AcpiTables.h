// The ACPI tables reachable from the RSDP (ACPI 6.5 §5.2): validated
// lookups by signature plus the few FADT facts the kernel needs now
// (soft-off and reset). Every table is checked for signature, length and
// checksum before a pointer to it is handed out.
//
// AcpiTables keeps a pointer to the PhysicalMemoryView; the view must
// outlive it.
#pragma once

#include "kernel/acpi/PhysicalMemoryView.h"
#include "kernel/acpi/Structures.h"
#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>

namespace fluid {

// What to write to enter S5 (ACPI 6.5 §7.4.2.5, §4.8.3.2.1): SLP_TYPx | SLP_EN
// into PM1a_CNT and, if its port is not 0, PM1b_CNT.
struct SleepControl {
    uint16_t pm1a_control_port;
    uint16_t pm1b_control_port; // 0 if the platform has no PM1b block
    uint8_t slp_typ_a;
    uint8_t slp_typ_b;
};

// FADT RESET_REG and RESET_VALUE (ACPI 6.5 §4.8.3.6).
struct ResetRegister {
    bool present;
    uint8_t address_space; // acpi::address_space_io / _memory / 2 = PCI config
    uint64_t address;
    uint8_t value;
};

// The ACPI power-management timer [ACPI 6.5 §4.8.3.3]: a free-running
// counter at 3.579545 MHz in I/O space, 24 or 32 bits wide. A clock
// reference on machines without an 8254 PIT.
struct PmTimer {
    static constexpr uint32_t frequency_hz = 3579545;
    bool present;
    uint16_t port;
    bool is_32_bit;
};

class AcpiTables {
public:
    // `rsdp` is a copy of the RSDP (e.g. from the Multiboot2 tag), `length`
    // the bytes available there. The XSDT is preferred; the RSDT is used if
    // there is no XSDT or it fails validation.
    static ErrorOr<AcpiTables> from_rsdp(const uint8_t* rsdp, size_t length, const PhysicalMemoryView&);

    // The index-th table with this signature, validated; points at its
    // SdtHeader. "DSDT" is found through the FADT.
    ErrorOr<const uint8_t*> find_table(const char signature[4], size_t index = 0) const;
    // The root table's index-th entry, validated (for listing tables).
    ErrorOr<const uint8_t*> table_at(size_t index) const;

    ErrorOr<SleepControl> s5_sleep_control() const;
    ResetRegister reset_register() const;
    // From X_PM_TMR_BLK when it is an I/O address, else PM_TMR_BLK (with
    // PM_TMR_LEN 4); not present on hardware-reduced platforms.
    PmTimer pm_timer() const;

    uint8_t revision() const { return m_revision; }
    size_t table_count() const { return m_entry_count; }
    bool uses_xsdt() const { return m_is_xsdt; }
    const char* oem_id() const { return m_oem_id; }

private:
    explicit AcpiTables(const PhysicalMemoryView& view) : m_view(&view) { }

    // Maps and validates the table at `physical`; `signature` may be null.
    ErrorOr<const uint8_t*> map_table(uint64_t physical, const char* signature) const;
    ErrorOr<void> use_root(uint64_t physical, bool is_xsdt);
    uint64_t entry_address(size_t index) const;
    // The FADT copied into a zeroed full-size struct, and its real length.
    ErrorOr<acpi::Fadt> fadt(size_t& length) const;
    ErrorOr<uint64_t> dsdt_address() const;

    const PhysicalMemoryView* m_view;
    const uint8_t* m_root { nullptr };
    bool m_is_xsdt { false };
    size_t m_entry_count { 0 };
    uint8_t m_revision { 0 };
    char m_oem_id[7] {};
};

} // namespace fluid
