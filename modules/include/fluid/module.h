/*
 * The kernel API a Fluid module may call. This is all of it: a module is
 * linked against the kernel's export table only, so calling anything else
 * (printf, malloc, ...) makes the module fail to load, and the error names
 * the symbol. The compiler may also emit calls to memcpy, memset, memmove,
 * memcmp and the compiler-rt builtins (__udivti3 and friends); those are
 * exported too.
 *
 * Modules are C (or C++ with extern "C" entry points) compiled to LLVM
 * bitcode by modules/CMakeLists.txt. Functions the shell and fluid-host can
 * call directly have the form  int64_t name(int64_t, ...)  with at most six
 * arguments.
 */
#ifndef FLUID_MODULE_H
#define FLUID_MODULE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes NUL-terminated text to the console (serial, screen or stdout). */
void fluid_print(const char* text);

/* Writes a signed decimal number to the console. */
void fluid_print_i64(int64_t value);

/* Monotonic time in nanoseconds since an arbitrary start. */
uint64_t fluid_now_ns(void);

/* Kernel heap. fluid_alloc returns 16-byte aligned memory, or NULL. */
void* fluid_alloc(size_t size);
void fluid_free(void* pointer);

#ifdef __cplusplus
}
#endif

#endif
