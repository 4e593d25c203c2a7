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

/*
 * Fan-out over every core: calls body(context, b, e) for chunks [b, e) of
 * [begin, end), each at least `grain` long (the last may be shorter), on
 * all cores including the caller's, and returns when every chunk is done.
 * Chunks run in any order. A fluid_parallel_for inside a body runs on the
 * calling core alone.
 */
void fluid_parallel_for(size_t begin, size_t end, size_t grain,
                        void (*body)(void* context, size_t b, size_t e), void* context);

/* Number of cores fluid_parallel_for may use (>= 1). */
uint32_t fluid_cpu_count(void);

/*
 * C math, exported by the kernel (jit/MathExports.cpp). Modules are built
 * freestanding, without the host's <math.h>, so they are declared here.
 */
double sqrt(double);
float sqrtf(float);
double exp(double);
float expf(float);
float exp2f(float);
double log(double);
float logf(float);
double log2(double);
float log2f(float);
double pow(double, double);
float powf(float, float);
double sin(double);
float sinf(float);
double cos(double);
float cosf(float);
double tanh(double);
float tanhf(float);
float atan2f(float, float);
float erff(float);
double fabs(double);
float fabsf(float);
double floor(double);
float floorf(float);
double ceil(double);
float ceilf(float);
double round(double);
float roundf(float);
double fmod(double, double);
float fmodf(float, float);
float fmaxf(float, float);
float fminf(float, float);

#ifdef __cplusplus
}
#endif

#endif
