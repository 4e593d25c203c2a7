// The compiler calls this when a function's canary (%fs:0x28) was
// overwritten on return: a stack buffer overflow.
#include "kernel/Panic.h"

extern "C" [[noreturn]] void __stack_chk_fail()
{
    fluid::panic("stack smashing detected (canary overwritten) in %p", __builtin_return_address(0));
}
