// The C++ ABI hooks compiled code calls [Itanium C++ ABI §3.3.5].
#include "kernel/Panic.h"

extern "C" {

// The kernel never exits, so destructors registered for static objects
// never need to run: accept the registration and forget it.
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
int atexit(void (*)()) { return 0; }

void __cxa_pure_virtual() { fluid::panic("pure virtual function called"); }

// Destructors of thread_local objects (libstdc++'s __cxa_thread_atexit):
// threads never exit, so, as with __cxa_atexit, accept and forget.
int __cxa_thread_atexit_impl(void (*)(void*), void*, void*) { return 0; }

} // extern "C"
