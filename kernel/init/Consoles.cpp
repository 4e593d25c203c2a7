#include "kernel/Kernel.h"
#include "kernel/drivers/Console.h"
#include "kernel/drivers/FramebufferConsole.h"
#include "kernel/drivers/Uart16550.h"
#include "kernel/drivers/VgaTextConsole.h"
#include "kernel/init/Init.h"

#include <arch/io.h>
#include <arch/mmu.h>

#include <new>

namespace fluid {

// Storage for the console devices: they exist before the heap does.
alignas(Uart16550) static char serial_storage[sizeof(Uart16550)];
alignas(VgaTextConsole) static char vga_storage[sizeof(VgaTextConsole)];
alignas(FramebufferConsole) static char framebuffer_storage[sizeof(FramebufferConsole)];

static Uart16550* com1_device;

Uart16550* serial_console() { return com1_device; }

void init_serial_console()
{
    auto* com1 = new (serial_storage) Uart16550(arch::port_io(), Uart16550::com1);
    com1->init();
    com1_device = com1;
    console().add_output(com1);
    console().set_input(com1);
}

void init_screen_console()
{
    const FramebufferInfo& fb = kernel().boot_info.framebuffer;
    if (!fb.present) {
        kprintf("console: no display information from the boot loader; serial only\n");
        return;
    }
    if (fb.type == 2) { // EGA text [Multiboot2 §3.6.12]
        auto* vga = new (vga_storage) VgaTextConsole(arch::port_io(), fb.address, fb.width, fb.height);
        vga->clear();
        console().add_output(vga);
        kprintf("console: VGA text %ux%u\n", fb.width, fb.height);
        return;
    }
    if (fb.type != 1 || (fb.bpp != 32 && fb.bpp != 24 && fb.bpp != 16)) {
        kprintf("console: framebuffer type %u, %u bpp not supported; serial only\n", fb.type, fb.bpp);
        return;
    }
    // The framebuffer may sit above the identity map the boot code made;
    // init_memory() maps it again in the final tables.
    FramebufferFormat format { fb.address, fb.pitch, fb.width, fb.height, fb.bpp,
        fb.red_position, fb.red_size, fb.green_position, fb.green_size, fb.blue_position, fb.blue_size };
    if (fb.address + uint64_t(fb.pitch) * fb.height > (64ull << 30)) {
        kprintf("console: framebuffer at 0x%lx is above the boot map; serial only\n", fb.address);
        return;
    }
    auto* screen = new (framebuffer_storage) FramebufferConsole(format);
    screen->clear();
    console().add_output(screen);
    kprintf("console: framebuffer %ux%u, %u bpp at 0x%lx\n", fb.width, fb.height, fb.bpp, fb.address);
}

} // namespace fluid
