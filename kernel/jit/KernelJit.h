// The kernel's side of the JIT: one fluid::jit::Engine for the whole
// machine, the kernel API it exports to modules, and the module store —
// the bitcode modules the kernel has loaded, by name.
//
// Modules come from /modules/*.bc on the boot volume (kernel/storage) when
// the kernel can read its boot disk, and otherwise from the read-only
// copies GRUB loaded as Multiboot2 modules (a USB stick on a machine we
// have no driver for). Each is compiled at tier 0 (O0, instrumented) when
// it is loaded and then promoted by jit::TierManager as it gets hot; one
// that fails to parse, verify or link is kept in the list with the
// reason, and the others load.
//
// When /modules/ALLOWED exists (GRUB's copy without a boot volume), every
// load path checks each module's SHA-256 against it first
// (jit/ModuleAllowList.h); a refused module is kept in the list with why.
#pragma once

#include "jit/Engine.h"
#include "jit/ModuleAllowList.h"
#include "jit/TierManager.h"
#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace fluid {

struct BootInfo;
class Fat16Volume;

class KernelJit {
public:
    struct Module {
        std::string name;                 // "fib" for fib.bc
        std::string source;               // "/modules/fib.bc" or "multiboot:fib.bc"
        std::vector<uint8_t> owned;       // bytes read from disk (empty for Multiboot2)
        std::span<const uint8_t> bitcode; // owned, or GRUB's read-only copy
        jit::ModuleHandle handle {};      // the O0 instance made at load
        bool loaded { false };
        std::string error;                // why it did not load
    };

    // Builds the engine for the CPU the kernel runs on.
    static ErrorOr<void> init();
    static KernelJit* get(); // null until init() succeeded

    // Loads every module: from `volume`'s /modules if given, else from
    // the Multiboot2 modules. Prints one line per module.
    void load_boot_modules(const BootInfo&, Fat16Volume* volume);

    // Loads (or reloads) one module from a file of `volume`, after
    // re-reading /modules/ALLOWED.
    ErrorOr<const Module*> load_file(Fat16Volume& volume, const std::string& path);
    // Whether /modules/ALLOWED on `volume` (re-read) lets `bitcode` load as
    // `file_name`, for bitcode that does not go through the module list
    // (the LLM kernels in /modules/llm). No manifest: yes.
    ErrorOr<void> check_allowed(Fat16Volume&, std::string_view file_name, std::span<const uint8_t> bitcode);
    // A whole module file, refused before it is read if it is larger than
    // the memory above the kernel's reserve (kernel/mm/MemoryRequest.h).
    static ErrorOr<std::vector<uint8_t>> read_module_file(Fat16Volume&, const std::string& path);
    // Frees a module's code and forgets it.
    ErrorOr<void> unload(const std::string& name);
    // Unloads everything and loads /modules again.
    void rescan(Fat16Volume& volume);

    const Module* find(const std::string& name) const;
    const std::vector<std::unique_ptr<Module>>& modules() const { return m_modules; }
    // The manifest the last load checked against, and whether it was GRUB's copy.
    const jit::ModuleAllowList& allow_list() const { return m_allowed; }
    bool allow_list_from_grub() const { return m_allowed_from_grub; }
    jit::Engine& engine() { return *m_engine; }
    jit::TierManager& tiers() { return *m_tiers; }

    // Tiering's compiler: a CPU of its own when there is more than one
    // (kernel/jit/TierCompiler.cpp), else the shell between commands.
    // Returns the CPU index, or -1 for "the shell".
    int compiler_cpu() const { return m_compiler_cpu; }
    void start_compiler();
    // Compiles what is queued and frees what no CPU can still run; for the
    // shell on a single CPU, and after each command.
    void compile_pending();
    // Frees retired code versions every CPU has moved past.
    size_t reclaim();

    // The tier profile on the boot volume (kernel/jit/ProfileStore.cpp):
    // save returns how many functions were above O0; load starts each of
    // them at its saved tier. A missing profile is not an error.
    ErrorOr<size_t> save_profile(Fat16Volume&);
    void load_profile(Fat16Volume&);

private:
    explicit KernelJit(std::unique_ptr<jit::Engine> engine);
    const Module& add(std::unique_ptr<Module>);
    void compile(Module&);
    const Module& admit(std::unique_ptr<Module>, std::string_view file_name);
    ErrorOr<const Module*> load_one(Fat16Volume&, const std::string& path);
    void read_allow_list(Fat16Volume&);
    void read_allow_list(const BootInfo&);
    void announce_allow_list() const;
    void report(const Module&) const;

    std::unique_ptr<jit::Engine> m_engine;
    std::unique_ptr<jit::TierManager> m_tiers;
    std::vector<std::unique_ptr<Module>> m_modules;
    // The last reload that failed while an older version stayed loaded.
    std::unique_ptr<Module> m_rejected;
    int m_compiler_cpu { -1 };
    jit::ModuleAllowList m_allowed; // absent: every module may load
    bool m_allowed_from_grub { false };
};

} // namespace fluid
