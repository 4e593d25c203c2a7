/*
 * Negative test: reaches for kernel internals by name. malloc and
 * interrupt_dispatch exist in the kernel image, but a module links only
 * against the export table (jit/ExportTable.h), so loading this module
 * must fail with an error that names the symbols.
 */
#include <fluid/module.h>

void* malloc(size_t size);
void interrupt_dispatch(void* frame);

int64_t sneak(int64_t n)
{
    void* p = malloc((size_t)n);
    interrupt_dispatch(p);
    return (int64_t)(size_t)p;
}
