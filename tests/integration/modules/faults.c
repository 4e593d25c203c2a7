/*
 * A module that misbehaves on purpose, one way per function, for the fault
 * containment tests (tests/integration/FaultTest.cpp, docs/RELIABILITY.md).
 * Each call must end with the kernel naming the fault and the function,
 * unloading this module, and carrying on. Not part of the image build: the
 * tests add it to a copy of the image.
 */
#include <fluid/module.h>

/* Integer division by zero: #DE. Called with 0. */
int64_t div_zero(int64_t divisor)
{
    volatile int64_t dividend = 7;
    return dividend / divisor;
}

/* A load through the pointer it is given: #PF at that address. */
int64_t null_deref(int64_t address)
{
    return *(volatile int64_t*)address;
}

/* A bad pointer handed to a kernel helper the module calls directly:
   the fault is in the kernel's memset, which takes no lock, so it is
   contained like a fault in module code. */
void* memset(void* destination, int value, size_t size);

int64_t bad_memset(int64_t address)
{
    memset((void*)address, 0, 4096);
    return 0;
}

/* ud2: #UD. */
int64_t bad_instruction(void)
{
    __builtin_trap();
}

/* Unbounded recursion (not a tail call, 256 bytes a frame) until the
   guard page under the stack. */
#pragma clang diagnostic ignored "-Winfinite-recursion"
static int64_t recurse(int64_t depth)
{
    volatile char frame[256];
    frame[0] = (char)depth;
    return recurse(depth + 1) + frame[0];
}

int64_t stack_overflow(void)
{
    return recurse(0);
}

/* Never returns: the watchdog ends it. */
int64_t spin_forever(void)
{
    volatile int64_t i = 0;
    for (;;)
        ++i;
}

/* Every chunk waits (at most 2 s) until every CPU holds one, so the fault
   happens on all of them, then writes through a null pointer. */
static int64_t arrived;

static void fault_in_chunk(void* context, size_t begin, size_t end)
{
    (void)context;
    (void)begin;
    (void)end;
    uint64_t cpus = fluid_cpu_count();
    __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
    uint64_t until = fluid_now_ns() + 2000000000ull;
    while ((uint64_t)__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < cpus && fluid_now_ns() < until)
        ;
    *(volatile int64_t*)0 = 1;
}

int64_t parallel_fault(int64_t n)
{
    arrived = 0;
    fluid_parallel_for(0, (size_t)n, 1, fault_in_chunk, 0);
    return 0;
}

/* Every chunk spins forever: the watchdog must reach each CPU. */
static void spin_in_chunk(void* context, size_t begin, size_t end)
{
    (void)context;
    (void)begin;
    (void)end;
    volatile int64_t i = 0;
    for (;;)
        ++i;
}

int64_t parallel_spin(int64_t n)
{
    fluid_parallel_for(0, (size_t)n, 1, spin_in_chunk, 0);
    return 0;
}

/* Behaves: the module works until one of the above is called. */
int64_t add_one(int64_t x)
{
    return x + 1;
}
