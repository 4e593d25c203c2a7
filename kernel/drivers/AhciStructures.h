// The in-memory structures an AHCI HBA fetches by DMA, and its register
// offsets [AHCI 1.3.1 §3 (registers), §4.2 (system memory structures)],
// plus the Serial ATA register host-to-device FIS [SATA 3.0 §10.3.4].
#pragma once

#include <cstdint>

namespace fluid::ahci {

// Generic host control [§3.1].
enum HbaRegister : uint32_t { Cap = 0x00, Ghc = 0x04, Is = 0x08, Pi = 0x0c, Vs = 0x10 };
static constexpr uint32_t cap_s64a = 1u << 31;             // 64-bit addressing
static constexpr uint32_t ghc_hr = 1u << 0, ghc_ie = 1u << 1, ghc_ae = 1u << 31;
static constexpr uint32_t max_ports = 32;

// Port registers, at 0x100 + port * 0x80 [§3.3].
static constexpr uint32_t port_base(uint32_t port) { return 0x100 + port * 0x80; }
enum PortRegister : uint32_t {
    PxClb = 0x00, PxClbu = 0x04, PxFb = 0x08, PxFbu = 0x0c, PxIs = 0x10, PxIe = 0x14, PxCmd = 0x18,
    PxTfd = 0x20, PxSig = 0x24, PxSsts = 0x28, PxSctl = 0x2c, PxSerr = 0x30, PxSact = 0x34, PxCi = 0x38,
};
// PxCMD [§3.3.7]: start, spin-up, power-on, FIS receive enable, FIS receive
// running, command list running.
static constexpr uint32_t cmd_st = 1u << 0, cmd_sud = 1u << 1, cmd_pod = 1u << 2, cmd_fre = 1u << 4,
                          cmd_fr = 1u << 14, cmd_cr = 1u << 15;
static constexpr uint32_t is_tfes = 1u << 30;               // task file error [§3.3.5]
static constexpr uint32_t tfd_err = 1u << 0, tfd_drq = 1u << 3, tfd_df = 1u << 5, tfd_bsy = 1u << 7;
static constexpr uint32_t ssts_det_present = 3;             // device present, PHY up [§3.3.10]
static constexpr uint32_t sig_ata = 0x00000101;             // an ATA disk, not ATAPI [§3.3.9]

// Command header, one of 32 in the 1 KiB-aligned command list [§4.2.2].
struct [[gnu::packed]] CommandHeader {
    uint16_t flags;       // bits 4:0 CFL (FIS length in dwords), 6 W (write), 10 C (clear busy on R_OK)
    uint16_t prdt_length; // PRDTL: entries in the table
    uint32_t prd_byte_count; // PRDBC, written by the HBA
    uint32_t table_low;   // CTBA, 128-byte aligned
    uint32_t table_high;
    uint32_t reserved[4];
};
static_assert(sizeof(CommandHeader) == 32);

// Physical region descriptor [§4.2.3.3]: one contiguous piece of the data
// buffer, word aligned, at most 4 MiB.
struct [[gnu::packed]] PrdtEntry {
    uint32_t address_low;
    uint32_t address_high;
    uint32_t reserved;
    uint32_t byte_count_flags; // bits 21:0 byte count - 1 (odd: whole words), bit 31 interrupt
};
static_assert(sizeof(PrdtEntry) == 16);
static constexpr uint32_t prdt_max_bytes = 4u << 20;

// Register FIS, host to device [SATA 3.0 §10.3.4].
struct [[gnu::packed]] FisRegisterH2D {
    uint8_t type;      // 0x27
    uint8_t flags;     // bit 7: this FIS carries a command (not device control)
    uint8_t command;
    uint8_t features_low;
    uint8_t lba0, lba1, lba2;
    uint8_t device;    // bit 6: LBA addressing
    uint8_t lba3, lba4, lba5;
    uint8_t features_high;
    uint16_t count;
    uint8_t icc;
    uint8_t control;
    uint32_t reserved;
};
static_assert(sizeof(FisRegisterH2D) == 20);
static constexpr uint8_t fis_type_register_h2d = 0x27;

// Command table [§4.2.3]: the command FIS, an ATAPI command, then the PRDT.
static constexpr uint32_t prdt_entries = 8;
struct [[gnu::packed]] CommandTable {
    uint8_t command_fis[64];
    uint8_t atapi_command[16];
    uint8_t reserved[48];
    PrdtEntry prdt[prdt_entries];
};
static_assert(sizeof(CommandTable) == 0x80 + 16 * prdt_entries);

// One 4 KiB page per port holds its command list, received-FIS area and the
// single command table we use (slot 0), each at its required alignment.
static constexpr uint32_t page_command_list = 0x000; // 1 KiB aligned [§3.3.1]
static constexpr uint32_t page_received_fis = 0x400; // 256 B aligned [§3.3.3]
static constexpr uint32_t page_command_table = 0x800; // 128 B aligned [§4.2.2]
static_assert(page_command_table + sizeof(CommandTable) <= 4096);

} // namespace fluid::ahci
