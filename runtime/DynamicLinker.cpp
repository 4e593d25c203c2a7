// The dynamic linker's interface, for a kernel that is one static image.
//
// _dl_find_object is how GCC 12's unwinder (libgcc_eh, used by libstdc++'s
// throw) finds unwind tables: for a code address it wants the containing
// object's PT_GNU_EH_FRAME, i.e. .eh_frame_hdr (linked with --eh-frame-hdr;
// boot/linker.ld names its start). With _dl_find_object present libgcc
// never falls back to dl_iterate_phdr, so everything outside the kernel
// image — JIT code, which registers its own frames later — gets -1.
//
// dlopen and friends fail: ORC is set up without process symbols and with
// the inactive platform, so it never needs them. __tls_get_addr exists
// only because the archives mention it: lld relaxes every general- and
// local-dynamic TLS access in a static link, so a call means a broken link.
#include "kernel/Panic.h"

#include <dlfcn.h>
#include <link.h>

extern "C" {
extern char __kernel_start[];
extern char __kernel_end[];
extern char __eh_frame_hdr_start[];
}

extern "C" {

int _dl_find_object(void* address, dl_find_object* result)
{
    auto* pc = static_cast<char*>(address);
    if (pc < __kernel_start || pc >= __kernel_end)
        return -1;
    *result = {};
    result->dlfo_map_start = __kernel_start;
    result->dlfo_map_end = __kernel_end;
    result->dlfo_link_map = nullptr; // no link_map: nobody may dlclose us
    result->dlfo_eh_frame = __eh_frame_hdr_start;
    return 0;
}

void* __tls_get_addr(void* descriptor)
{
    fluid::panic("__tls_get_addr(%p) called: dynamic TLS is not supported", descriptor);
}

void* dlopen(const char*, int) { return nullptr; }
void* dlmopen(Lmid_t, const char*, int) { return nullptr; }
void* dlsym(void*, const char*) { return nullptr; }
void* dlvsym(void*, const char*, const char*) { return nullptr; }
int dlclose(void*) { return -1; }
char* dlerror() { return const_cast<char*>("dynamic loading is not supported in the kernel"); }
int dladdr(const void*, Dl_info*) { return 0; }
int dladdr1(const void*, Dl_info*, void**, int) { return 0; }
int dlinfo(void*, int, void*) { return -1; }

// No list of loaded objects to walk.
int dl_iterate_phdr(int (*)(dl_phdr_info*, size_t, void*), void*) { return 0; }

} // extern "C"
