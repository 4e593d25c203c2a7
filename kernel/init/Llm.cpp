// The LLM engine needs no set-up beyond one choice: which dot products to run.
// llm/ picks its AVX2 versions when CPUID and XCR0 allow them, which is
// right on hardware. Under QEMU's TCG integer AVX2 goes through helpers, and
// the portable integer dot products, which give the same bits, ran 6.9x
// faster: 1.93 against 0.28 tok/s on a 14 MB Q8_0 model, -smp 1. The float
// ones are not: the F16 default model ran at 8.5-10.4 tok/s with AVX2 (F16C
// conversions) and 3.9-6.5 tok/s portable, so only the integer ones switch.
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"
#include "llm/CpuFeatures.h"

#include <arch/cpu.h>

namespace fluid {

void init_llm()
{
    if (!arch::running_under_binary_translation() || !llm::cpu_has_avx2())
        return;
    llm::set_simd_integer_dots_enabled(false);
    kprintf("llm: QEMU TCG: integer AVX2 is emulated, using the portable Q8_0/Q4_0 dot products\n");
}

} // namespace fluid
