// The kernel's side of the JIT: one fluid::jit::Engine for the whole
// machine, the kernel API it exports to modules, and the modules that came
// with the boot (Multiboot2 modules named "<name>.bc", one per
// /modules/*.bc file on the image).
#pragma once

#include "jit/Engine.h"
#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace fluid {

struct BootInfo;

class KernelJit {
public:
    static constexpr size_t max_modules = 64;
    static constexpr size_t max_name = 32;

    struct Module {
        char name[max_name];
        std::span<const uint8_t> bitcode; // read-only bytes GRUB loaded
        jit::ModuleHandle handle;         // the O0 instance made at boot
        bool loaded;
        char error[Error::max_message];   // why it did not load
    };

    // Builds the engine for the CPU the kernel runs on.
    static ErrorOr<void> init();
    static KernelJit* get(); // null until init() succeeded

    // Compiles every boot module at O0; a module that fails is reported
    // by name and the others still load.
    void load_boot_modules(const BootInfo&);

    const Module* find(const char* name) const;
    std::span<const Module> modules() const { return { m_modules, m_module_count }; }
    jit::Engine& engine() { return *m_engine; }

private:
    explicit KernelJit(std::unique_ptr<jit::Engine> engine) : m_engine(std::move(engine)) { }

    std::unique_ptr<jit::Engine> m_engine;
    Module m_modules[max_modules] {};
    size_t m_module_count { 0 };
};

} // namespace fluid
