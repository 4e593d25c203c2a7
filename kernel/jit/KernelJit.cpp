#include "kernel/jit/KernelJit.h"

#include "jit/LlvmTarget.h"
#include "jit/ModuleAllowList.h"
#include "jit/ModuleApi.h"
#include "kernel/Kernel.h"
#include "kernel/boot/BootInfo.h"
#include "kernel/fs/Fat16Volume.h"
#include "kernel/drivers/Console.h"
#include "kernel/jit/ModuleGuard.h"
#include "kernel/mm/Heap.h"
#include "kernel/mm/MemoryRequest.h"
#include "kernel/mm/PageAllocator.h"
#include "kernel/smp/SmpExecutor.h"

#include <arch/clock.h>
#include <arch/cpu.h>

#include <cstdio>
#include <cstring>

namespace fluid {

static KernelJit* instance;

// Defined in TierCompiler.cpp: wakes the compiler CPU.
void tier_work_queued();

// The module API (modules/include/fluid/module.h), backed by the kernel.
static void module_print(const char* text) { console().write(text); }
static void module_print_i64(int64_t value) { kprintf("%ld", value); }
static void* module_alloc(size_t size) { return kernel().heap->allocate(size, 16); }
static void module_free(void* pointer) { kernel().heap->free(pointer); }

// LLVM names the CPU from CPUID's family and model. Emulators and new
// parts it does not know come out as an old name ("k8-sse3" under QEMU's
// TCG) whose scheduling model is a poor fit for the features present, so
// those get the x86-64 psABI level the features reach instead.
static jit::TargetCpu target_cpu()
{
    jit::TargetCpu detected = jit::TargetCpu::detect_host();
    if (arch::running_under_binary_translation()) {
        // QEMU's TCG runs AVX code through helpers, several times slower
        // than the SSE it translates to host vectors: measured, AVX2 O3 code
        // ran up to 13x slower than SSE2 AOT code there (docs/BENCHMARKS.md).
        jit::TargetCpu sse = detected.without_features({ "avx" });
        return jit::TargetCpu(sse.triple(), "x86-64-v2", sse.features());
    }
    const std::string& name = detected.name();
    bool unknown = name == "generic" || name.rfind("k8", 0) == 0 || name == "x86-64";
    if (!unknown)
        return detected;
    auto has = [&](const char* feature) { return detected.has_feature(feature); };
    const char* level = "x86-64";
    if (has("avx2") && has("fma") && has("bmi2") && has("movbe"))
        level = has("avx512f") && has("avx512bw") && has("avx512dq") && has("avx512vl") ? "x86-64-v4" : "x86-64-v3";
    else if (has("sse4.2") && has("popcnt"))
        level = "x86-64-v2";
    return jit::TargetCpu(detected.triple(), level, detected.features());
}

static void module_parallel_for(size_t begin, size_t end, size_t grain, ParallelBody body, void* context)
{
    smp_executor().run(begin, end, grain, body, context);
}

static uint32_t module_cpu_count() { return uint32_t(smp_executor().concurrency()); }

// Between the stages of a compile: give up on a request that has eaten
// into the memory reserve (kernel/mm/MemoryRequest.h).
static ErrorOr<void> jit_checkpoint()
{
    MemoryRequest* request = MemoryRequest::current();
    if (request && request->overdrawn())
        return Error::from(ErrorCode::NoMemory, request->message());
    return {};
}

static void module_jit_hot(uint64_t id)
{
    if (instance)
        instance->tiers().on_hot(id);
}

ErrorOr<void> KernelJit::init()
{
    jit::initialize_llvm_target();
    jit::EngineConfig config;
    // LLVM's host detection reads only CPUID and XGETBV, which is exactly
    // what the kernel would do itself.
    config.cpu = target_cpu();
    config.now_ns = arch::now_ns;
    config.checkpoint = jit_checkpoint;
    config.contain = ModuleGuard::contain_library_fault;
    jit::ModuleApi api;
    api.print = module_print;
    api.print_i64 = module_print_i64;
    api.now_ns = arch::now_ns;
    api.alloc = module_alloc;
    api.free = module_free;
    api.parallel_for = module_parallel_for;
    api.cpu_count = module_cpu_count;
    api.jit_hot = module_jit_hot;
    TRY(config.exports.add_kernel_api(api));
    auto engine = TRY(jit::Engine::create(std::move(config)));
    instance = new KernelJit(std::move(engine));
    return {};
}

KernelJit::KernelJit(std::unique_ptr<jit::Engine> engine)
    : m_engine(std::move(engine))
    , m_tiers(std::make_unique<jit::TierManager>(*m_engine, jit::TierManager::Platform { arch::now_ns, tier_work_queued }))
{
}

KernelJit* KernelJit::get() { return instance; }

// "fib.bc", "/modules/fib.bc" -> "fib".
static std::string module_name(std::string_view path)
{
    size_t slash = path.rfind('/');
    if (slash != std::string_view::npos)
        path.remove_prefix(slash + 1);
    if (path.size() > 3 && (path.ends_with(".bc") || path.ends_with(".BC")))
        path.remove_suffix(3);
    return std::string(path);
}

void KernelJit::report(const Module& m) const
{
    if (!m.loaded) {
        kprintf("jit: module %s (%s) not loaded: %s\n", m.name.c_str(), m.source.c_str(), m.error.c_str());
        return;
    }
    const jit::ModuleInfo* mi = m_engine->module_info(m.handle);
    kprintf("jit: module %s (%s): %zu function(s), O0 in %lu us\n", m.name.c_str(), m.source.c_str(),
            mi ? mi->functions.size() : 0, mi ? mi->compile_ns() / 1000 : 0);
}

// Compiles the module at O0 and files it, replacing one of the same name.
const KernelJit::Module& KernelJit::add(std::unique_ptr<Module> m)
{
    compile(*m);
    // A reload that fails (a corrupt file, no memory) keeps the version
    // that works; the failed one is only reported.
    const Module* old = find(m->name);
    if (!m->loaded && old && old->loaded) {
        m->error += " (the version loaded before stays)";
        m_rejected = std::move(m);
        return *m_rejected;
    }
    (void)unload(m->name);
    m_modules.push_back(std::move(m));
    return *m_modules.back();
}

// Compiles the module at O0. A module too big for the memory left fails
// alone: the engine stops at its next checkpoint (jit_checkpoint), or the
// finished module is thrown away, and the reserve gets the memory back.
void KernelJit::compile(Module& m)
{
    MemoryRequest request("module load");
    // Read once where a crash of LLVM's reader on a corrupt file can be
    // contained (no lock held), before the real load takes the JIT's locks.
    auto checked = m_engine->check_bitcode(m.name, m.bitcode);
    auto handle = checked.is_error() ? ErrorOr<jit::ModuleHandle>(checked.release_error())
                                     : m_tiers->load(m.name, m.bitcode);
    if (handle.is_error()) {
        m.error = handle.error().message();
    } else if (request.overdrawn()) {
        m_tiers->forget(handle.value());
        (void)m_engine->unload(handle.value());
        m.error = request.message();
    } else {
        m.handle = handle.value();
        m.loaded = true;
    }
    request.clear();
}

// Where the manifest lives; GRUB's copy (a module2 line, tools/mkimage.sh) is named the same.
static constexpr const char* allow_list_path = "/modules/ALLOWED";

// The manifest check before the compile: a module the manifest refuses is
// kept in the list with the reason, like one that fails to compile.
const KernelJit::Module& KernelJit::admit(std::unique_ptr<Module> m, std::string_view file_name)
{
    auto allowed = m_allowed.check(file_name, m->bitcode);
    if (!allowed.is_error())
        return add(std::move(m));
    (void)unload(m->name);
    m->error = allowed.error().message();
    // Keep none of the refused bytes, so that no other path can compile
    // them (`bench` compiles a workload's bitcode afresh for each tier).
    m->bitcode = {};
    m->owned = {};
    m_modules.push_back(std::move(m));
    return *m_modules.back();
}

// Says once what the manifest will do: nothing when there is none, as before it existed.
void KernelJit::announce_allow_list() const
{
    const char* origin = m_allowed_from_grub ? " (GRUB's copy)" : "";
    if (m_allowed.state() == jit::ModuleAllowList::State::Active)
        kprintf("jit: %s%s lists %zu module(s); any other module is refused\n", allow_list_path, origin,
                m_allowed.entries().size());
    else if (m_allowed.state() == jit::ModuleAllowList::State::Broken)
        kprintf("jit: %s; refusing every module until the manifest is fixed\n", m_allowed.problem().c_str());
}

// Re-reads /modules/ALLOWED: absent means no manifest; present but
// unreadable refuses everything (fail closed).
void KernelJit::read_allow_list(Fat16Volume& volume)
{
    m_allowed_from_grub = false;
    auto info = volume.stat(allow_list_path);
    if (info.is_error() && info.error().code() == ErrorCode::NotFound) {
        m_allowed = {};
        return;
    }
    if (info.is_error() || info.value().is_directory || info.value().size > jit::ModuleAllowList::max_bytes) {
        m_allowed = jit::ModuleAllowList::refusing_all(
            allow_list_path, info.is_error()           ? std::string(allow_list_path) + ": " + info.error().message()
                             : info.value().is_directory ? std::string(allow_list_path) + " is a directory"
                                                         : std::string(allow_list_path) + " is larger than 1 MiB");
        return;
    }
    std::vector<uint8_t> text(info.value().size);
    auto got = volume.read(allow_list_path, 0, text);
    if (got.is_error() || got.value() != text.size()) {
        m_allowed = jit::ModuleAllowList::refusing_all(allow_list_path, std::string(allow_list_path) + ": read failed");
        return;
    }
    m_allowed = jit::ModuleAllowList::from_manifest(
        allow_list_path, std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
}

// GRUB's copy of /modules/ALLOWED, when booted without a boot volume.
void KernelJit::read_allow_list(const BootInfo& info)
{
    m_allowed = {};
    m_allowed_from_grub = false;
    for (size_t i = 0; i < info.module_count; ++i) {
        const BootModule& boot = info.modules[i];
        if (boot.name() != "ALLOWED" && boot.name() != "allowed")
            continue;
        m_allowed_from_grub = true;
        m_allowed = jit::ModuleAllowList::from_manifest(
            allow_list_path, std::string_view(reinterpret_cast<const char*>(boot.start), size_t(boot.end - boot.start)));
        return;
    }
}

void KernelJit::load_boot_modules(const BootInfo& info, Fat16Volume* volume)
{
    if (volume) {
        kprintf("jit: loading modules from /modules on the boot volume\n");
        rescan(*volume);
        load_profile(*volume);
        return;
    }
    // GRUB also passes the models (/models/*.gguf); only the .bc files are modules.
    auto is_bitcode = [](const BootModule& boot) { return boot.name().ends_with(".bc") || boot.name().ends_with(".BC"); };
    size_t count = 0;
    for (size_t i = 0; i < info.module_count; ++i)
        count += is_bitcode(info.modules[i]);
    kprintf("jit: no boot volume; loading the %zu module(s) GRUB passed (read-only)\n", count);
    read_allow_list(info);
    announce_allow_list();
    for (size_t i = 0; i < info.module_count; ++i) {
        const BootModule& boot = info.modules[i];
        if (!is_bitcode(boot))
            continue;
        auto m = std::make_unique<Module>();
        m->name = module_name(boot.name());
        m->source = std::string("multiboot:") + boot.cmdline;
        m->bitcode = { reinterpret_cast<const uint8_t*>(boot.start), size_t(boot.end - boot.start) };
        report(admit(std::move(m), boot.name()));
    }
}

ErrorOr<const KernelJit::Module*> KernelJit::load_file(Fat16Volume& volume, const std::string& path)
{
    read_allow_list(volume); // the file on the volume is the truth, now
    return load_one(volume, path);
}

ErrorOr<void> KernelJit::check_allowed(Fat16Volume& volume, std::string_view file_name, std::span<const uint8_t> bitcode)
{
    read_allow_list(volume);
    return m_allowed.check(file_name, bitcode);
}

ErrorOr<std::vector<uint8_t>> KernelJit::read_module_file(Fat16Volume& volume, const std::string& path)
{
    auto info = TRY(volume.stat(path));
    if (info.is_directory)
        return Error::format(ErrorCode::Invalid, "%s is a directory", path.c_str());
    size_t available = MemoryRequest::available_bytes(kernel().pages->free_bytes());
    if (info.size > available) {
        if (MemoryRequest* request = MemoryRequest::current())
            request->clear(); // said here; not again by the shell
        return Error::format(ErrorCode::NoMemory, "%s: %u bytes, and only %zu bytes are free above the %zu-byte reserve",
                             path.c_str(), info.size, available, MemoryRequest::reserve_bytes());
    }
    std::vector<uint8_t> bytes(info.size);
    size_t got = TRY(volume.read(path, 0, bytes));
    if (got != info.size)
        return Error::format(ErrorCode::IoError, "%s: read %zu of %u bytes", path.c_str(), got, info.size);
    return bytes;
}

ErrorOr<const KernelJit::Module*> KernelJit::load_one(Fat16Volume& volume, const std::string& path)
{
    auto m = std::make_unique<Module>();
    m->name = module_name(path);
    m->source = path;
    m->owned = TRY(read_module_file(volume, path));
    m->bitcode = m->owned;
    const Module& added = admit(std::move(m), path);
    report(added);
    return &added;
}

ErrorOr<void> KernelJit::unload(const std::string& name)
{
    for (auto it = m_modules.begin(); it != m_modules.end(); ++it) {
        if ((*it)->name != name)
            continue;
        if ((*it)->loaded) {
            m_tiers->forget((*it)->handle);
            TRY(m_engine->unload((*it)->handle));
        }
        m_modules.erase(it);
        return {};
    }
    return Error::format(ErrorCode::NotFound, "no module '%s'", name.c_str());
}

void KernelJit::rescan(Fat16Volume& volume)
{
    while (!m_modules.empty())
        (void)unload(m_modules.front()->name);
    auto entries = volume.list("/modules");
    if (entries.is_error()) {
        kprintf("jit: /modules: %s\n", entries.error().message());
        return;
    }
    read_allow_list(volume);
    announce_allow_list();
    for (const FatEntryInfo& e : entries.value()) {
        if (e.is_directory || module_name(e.name) == e.name)
            continue; // not a .bc file
        auto loaded = load_one(volume, "/modules/" + e.name);
        if (loaded.is_error())
            kprintf("jit: /modules/%s: %s\n", e.name.c_str(), loaded.error().message());
    }
}

const KernelJit::Module* KernelJit::find(const std::string& name) const
{
    for (const auto& m : m_modules)
        if (m->name == name)
            return m.get();
    return nullptr;
}

} // namespace fluid
