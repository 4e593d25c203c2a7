// How the engine's LLJIT is put together so that it needs no operating
// system: no process symbols (no dlopen), no platform runtime, no threads,
// an explicit target instead of the process's own, and JITLink without the
// EH-frame registration plugin (modules do not unwind).
#pragma once

#include "jit/TargetCpu.h"
#include "jit/TieredCompiler.h"

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>

#include <memory>

namespace fluid::jit {

// Triple, CPU and features from the TargetCpu; small code model, PIC (so
// imports go through the GOT/PLT), native TLS.
llvm::orc::JITTargetMachineBuilder make_target_machine_builder(const TargetCpu&);

llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> make_lljit(const TargetCpu&, uint32_t page_size, CompileStats*);

} // namespace fluid::jit
