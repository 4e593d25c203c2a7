// The LLM engine needs no set-up beyond one choice: which dot products to run.
// llm/ picks its AVX2 versions when CPUID and XCR0 allow them, which is
// right on hardware. Under QEMU's TCG every AVX instruction goes through a
// helper, and the portable (SSE2) versions, which give the same bits, ran
// 6.9x faster: 1.93 against 0.28 tok/s on a 14 MB Q8_0 model, -smp 1
// (docs/BENCHMARKS.md).
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"
#include "llm/CpuFeatures.h"

#include <arch/cpu.h>

namespace fluid {

void init_llm()
{
    if (!arch::running_under_binary_translation() || !llm::cpu_has_avx2())
        return;
    llm::set_simd_enabled(false);
    kprintf("llm: QEMU TCG: AVX2 is emulated, using the portable dot products\n");
}

} // namespace fluid
