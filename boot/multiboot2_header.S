/*
 * Multiboot2 header [Multiboot2 §3.1]. GRUB finds it in the first 32 KiB
 * of the image, 8-byte aligned. We ask for:
 *   - VGA text or a framebuffer. Without the framebuffer tag GRUB gives a
 *     UEFI machine (no text mode) no console at all. With it, GRUB's
 *     `multiboot2` command sets gfxpayload to a graphics mode, so grub.cfg
 *     sets gfxpayload=text again *after* that command on BIOS, which GRUB
 *     reads only at `boot` (tools/grub/grub.cfg.in).
 *   - page-aligned modules, so module bytes can be handed out by page.
 */
#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0
#define MB2_TAG_END      0
#define MB2_TAG_CONSOLE  4
#define MB2_TAG_FB       5
#define MB2_CONSOLE_EGA_TEXT_SUPPORTED 2
#define MB2_TAG_MOD_ALIGN 6
#define MB2_TAG_OPTIONAL 1

    .section .multiboot2, "a"
    .balign 8
mb2_header_start:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header_start
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header_start))

    /* Console flags [§3.1.9]: VGA text is fine, so GRUB may keep text mode
       under BIOS (grub.cfg sets gfxpayload=text there). */
    .balign 8
    .short MB2_TAG_CONSOLE
    .short MB2_TAG_OPTIONAL
    .long 12
    .long MB2_CONSOLE_EGA_TEXT_SUPPORTED

    /* Framebuffer tag [§3.1.10]: preferred mode 1024x768, 32 bpp. */
    .balign 8
    .short MB2_TAG_FB
    .short MB2_TAG_OPTIONAL
    .long 20
    .long 1024
    .long 768
    .long 32

    /* Module alignment tag [§3.1.11]. */
    .balign 8
    .short MB2_TAG_MOD_ALIGN
    .short 0
    .long 8

    .balign 8
    .short MB2_TAG_END
    .short 0
    .long 8
mb2_header_end:
