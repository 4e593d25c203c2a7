// Shared set-up for the JIT tests: an engine configured like a platform
// would, with a module API that records what modules do, and the .bc files
// this build compiled (modules/ and tests/unit/jit/modules/).
#pragma once

#include "jit/Engine.h"
#include "jit/TierManager.h"

#include <atomic>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fluid::jit::test {

// What the module API and the overridden runtime helpers saw.
struct Observed {
    std::string printed;
    int memcpy_calls { 0 };
    int divti3_calls { 0 };
};
Observed& observed();

// Runtime helpers and module API; memcpy and __divti3 are counting wrappers.
EngineConfig make_config();

// Where tier-instrumented code's __fluid_jit_hot calls go (null: nowhere).
std::atomic<TierManager*>& hot_target();

// Creates an engine from make_config(); fails the test on error.
std::unique_ptr<Engine> make_engine();

std::vector<uint8_t> read_module(const char* name);       // modules/NAME.bc
std::vector<uint8_t> read_test_module(const char* name);  // tests/unit/jit/modules/NAME.bc

// The same bitcode with its identification block replaced by one that
// claims another producer and bitcode epoch: what a file from a future LLVM
// that changed the format looks like to LLVM 19. Empty if `bitcode` does
// not start with an identification block.
std::vector<uint8_t> with_identification(const std::vector<uint8_t>& bitcode, const std::string& producer,
                                         uint64_t epoch);

} // namespace fluid::jit::test
