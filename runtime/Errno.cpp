// errno, per CPU: it is a thread_local in the static TLS block that each
// CPU's %fs points at (kernel/arch/x86_64/ThreadControlBlock.cpp).
static thread_local int errno_value;

extern "C" int* __errno_location() { return &errno_value; }
