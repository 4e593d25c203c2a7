#include "kernel/jit/KernelJit.h"

#include "jit/LlvmTarget.h"
#include "jit/ModuleApi.h"
#include "kernel/Kernel.h"
#include "kernel/boot/BootInfo.h"
#include "kernel/drivers/Console.h"
#include "kernel/mm/Heap.h"

#include <arch/clock.h>

#include <cstdio>
#include <cstring>

namespace fluid {

static KernelJit* instance;

// The module API (modules/include/fluid/module.h), backed by the kernel.
static void module_print(const char* text) { console().write(text); }
static void module_print_i64(int64_t value) { kprintf("%ld", value); }
static uint64_t module_now_ns() { return arch::now_ns(); }
static void* module_alloc(size_t size) { return kernel().heap->allocate(size, 16); }
static void module_free(void* pointer) { kernel().heap->free(pointer); }

// LLVM names the CPU from CPUID's family and model. Emulators and new
// parts it does not know come out as an old name ("k8-sse3" under QEMU's
// TCG) whose scheduling model is a poor fit for the features present, so
// those get the x86-64 psABI level the features reach instead.
static jit::TargetCpu target_cpu()
{
    jit::TargetCpu detected = jit::TargetCpu::detect_host();
    const std::string& name = detected.name();
    bool unknown = name == "generic" || name.rfind("k8", 0) == 0 || name == "x86-64";
    if (!unknown)
        return detected;
    std::string features = "," + detected.features() + ",";
    auto has = [&](const char* feature) { return features.find(std::string(",+") + feature + ",") != std::string::npos; };
    const char* level = "x86-64";
    if (has("avx2") && has("fma") && has("bmi2") && has("movbe"))
        level = has("avx512f") && has("avx512bw") && has("avx512dq") && has("avx512vl") ? "x86-64-v4" : "x86-64-v3";
    else if (has("sse4.2") && has("popcnt"))
        level = "x86-64-v2";
    return jit::TargetCpu(detected.triple(), level, detected.features());
}

ErrorOr<void> KernelJit::init()
{
    jit::initialize_llvm_target();
    jit::EngineConfig config;
    // LLVM's host detection reads only CPUID and XGETBV, which is exactly
    // what the kernel would do itself.
    config.cpu = target_cpu();
    config.now_ns = arch::now_ns;
    jit::ModuleApi api;
    api.print = module_print;
    api.print_i64 = module_print_i64;
    api.now_ns = module_now_ns;
    api.alloc = module_alloc;
    api.free = module_free;
    TRY(config.exports.add_module_api(api));
    TRY(config.exports.add_runtime_helpers());
    TRY(config.exports.add_math());
    auto engine = TRY(jit::Engine::create(std::move(config)));
    instance = new KernelJit(std::move(engine));
    return {};
}

KernelJit* KernelJit::get() { return instance; }

// "fib.bc" (GRUB's module command line) -> "fib".
static void module_name(const char* cmdline, char* out, size_t size)
{
    const char* base = strrchr(cmdline, '/');
    base = base ? base + 1 : cmdline;
    size_t length = strcspn(base, " ");
    if (length > 3 && strncmp(base + length - 3, ".bc", 3) == 0)
        length -= 3;
    snprintf(out, size, "%.*s", int(length), base);
}

void KernelJit::load_boot_modules(const BootInfo& info)
{
    for (size_t i = 0; i < info.module_count && m_module_count < max_modules; ++i) {
        const BootModule& boot = info.modules[i];
        Module& m = m_modules[m_module_count++];
        module_name(boot.cmdline, m.name, sizeof(m.name));
        m.bitcode = { reinterpret_cast<const uint8_t*>(boot.start), size_t(boot.end - boot.start) };
        auto handle = m_engine->load_module(m.name, m.bitcode, jit::OptLevel::O0);
        if (handle.is_error()) {
            snprintf(m.error, sizeof(m.error), "%s", handle.error().message());
            kprintf("jit: module %s not loaded: %s\n", m.name, m.error);
            continue;
        }
        m.handle = handle.value();
        m.loaded = true;
        const jit::ModuleInfo* mi = m_engine->module_info(m.handle);
        kprintf("jit: module %s: %zu function(s), O0 in %lu us\n", m.name, mi ? mi->functions.size() : 0,
                mi ? mi->compile_ns() / 1000 : 0);
    }
}

const KernelJit::Module* KernelJit::find(const char* name) const
{
    for (size_t i = 0; i < m_module_count; ++i)
        if (strcmp(m_modules[i].name, name) == 0)
            return &m_modules[i];
    return nullptr;
}

} // namespace fluid
