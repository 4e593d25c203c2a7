// ACPI table layouts we read (ACPI 6.5). Packed: firmware places tables at
// arbitrary byte addresses, and they are only ever copied out with memcpy
// after their length has been checked (AcpiTables.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::acpi {

// ACPI 6.5 §5.2.5.3, Table 5.3: Root System Description Pointer. The first
// 20 bytes are the ACPI 1.0 structure, covered by `checksum`; revision 2+
// adds the rest, covered by `extended_checksum` over `length` bytes.
struct [[gnu::packed]] Rsdp {
    char signature[8]; // "RSD PTR "
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
};
static_assert(sizeof(Rsdp) == 36);
static_assert(offsetof(Rsdp, rsdt_address) == 16);
static_assert(offsetof(Rsdp, length) == 20);
static_assert(offsetof(Rsdp, xsdt_address) == 24);

constexpr size_t rsdp_v1_size = 20;

// ACPI 6.5 §5.2.6, Table 5.4: the header every system description table starts with.
struct [[gnu::packed]] SdtHeader {
    char signature[4];
    uint32_t length; // of the whole table, header included
    uint8_t revision;
    uint8_t checksum; // all `length` bytes sum to zero
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
};
static_assert(sizeof(SdtHeader) == 36);
static_assert(offsetof(SdtHeader, length) == 4);
static_assert(offsetof(SdtHeader, checksum) == 9);
static_assert(offsetof(SdtHeader, oem_id) == 10);

// ACPI 6.5 §5.2.3.2, Table 5.1: Generic Address Structure.
struct [[gnu::packed]] GenericAddress {
    uint8_t address_space; // 0 system memory, 1 system I/O, ...
    uint8_t register_bit_width;
    uint8_t register_bit_offset;
    uint8_t access_size;
    uint64_t address;
};
static_assert(sizeof(GenericAddress) == 12);

constexpr uint8_t address_space_memory = 0;
constexpr uint8_t address_space_io = 1;

// ACPI 6.5 §5.2.9, Table 5.9: Fixed ACPI Description Table ("FACP"). Older
// firmware ships shorter FADTs (ACPI 1.0: 116 bytes); fields past the
// table's length read as zero because we copy into a zeroed Fadt.
struct [[gnu::packed]] Fadt {
    SdtHeader header;
    uint32_t firmware_ctrl;
    uint32_t dsdt;
    uint8_t reserved0;
    uint8_t preferred_pm_profile;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable;
    uint8_t acpi_disable;
    uint8_t s4bios_req;
    uint8_t pstate_cnt;
    uint32_t pm1a_evt_blk;
    uint32_t pm1b_evt_blk;
    uint32_t pm1a_cnt_blk;
    uint32_t pm1b_cnt_blk;
    uint32_t pm2_cnt_blk;
    uint32_t pm_tmr_blk;
    uint32_t gpe0_blk;
    uint32_t gpe1_blk;
    uint8_t pm1_evt_len;
    uint8_t pm1_cnt_len;
    uint8_t pm2_cnt_len;
    uint8_t pm_tmr_len;
    uint8_t gpe0_blk_len;
    uint8_t gpe1_blk_len;
    uint8_t gpe1_base;
    uint8_t cst_cnt;
    uint16_t p_lvl2_lat;
    uint16_t p_lvl3_lat;
    uint16_t flush_size;
    uint16_t flush_stride;
    uint8_t duty_offset;
    uint8_t duty_width;
    uint8_t day_alrm;
    uint8_t mon_alrm;
    uint8_t century;
    uint16_t iapc_boot_arch;
    uint8_t reserved1;
    uint32_t flags;
    GenericAddress reset_reg;
    uint8_t reset_value;
    uint16_t arm_boot_arch;
    uint8_t fadt_minor_version;
    uint64_t x_firmware_ctrl;
    uint64_t x_dsdt;
    GenericAddress x_pm1a_evt_blk;
    GenericAddress x_pm1b_evt_blk;
    GenericAddress x_pm1a_cnt_blk;
    GenericAddress x_pm1b_cnt_blk;
    GenericAddress x_pm2_cnt_blk;
    GenericAddress x_pm_tmr_blk;
    GenericAddress x_gpe0_blk;
    GenericAddress x_gpe1_blk;
    GenericAddress sleep_control_reg;
    GenericAddress sleep_status_reg;
    uint64_t hypervisor_vendor_identity;
};
static_assert(sizeof(Fadt) == 276);
static_assert(offsetof(Fadt, dsdt) == 40);
static_assert(offsetof(Fadt, pm1a_cnt_blk) == 64);
static_assert(offsetof(Fadt, pm1b_cnt_blk) == 68);
static_assert(offsetof(Fadt, flags) == 112);
static_assert(offsetof(Fadt, reset_reg) == 116);
static_assert(offsetof(Fadt, reset_value) == 128);
static_assert(offsetof(Fadt, x_dsdt) == 140);
static_assert(offsetof(Fadt, x_pm1a_cnt_blk) == 172);
static_assert(offsetof(Fadt, x_pm1b_cnt_blk) == 184);
static_assert(offsetof(Fadt, sleep_control_reg) == 244);

// ACPI 6.5 §5.2.9.3, Table 5.10: FADT fixed feature flags.
constexpr uint32_t fadt_flag_reset_reg_sup = 1u << 10;
// TMR_VAL_EXT: the PM timer counts 32 bits, not 24 [ACPI 6.5 Table 5.10].
constexpr uint32_t fadt_flag_tmr_val_ext = 1u << 8;

} // namespace fluid::acpi
