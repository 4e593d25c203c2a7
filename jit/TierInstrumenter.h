// The IR rewrites behind tiering (docs/TIERING.md).
//
// Tier 0: every exported function F of a module becomes
//   @__fluid.slot.F  = global ptr @F.t0       the patchable entry's target
//   define F(args)   { musttail call (load @__fluid.slot.F)(args) }
//   define internal F.t0(args) { <counters>; original body }
// and every call to F inside the module now reaches F, so a store to the
// slot is seen by every caller, in this module or another. Internal global
// variables become external ("__fluid.g.NAME") so later versions share them.
//
// A version (tier >= 1) of F is built from the same bitcode: F renamed to
// "F.vN", every other definition except internal functions turned into a
// declaration (calls to G go through G's entry and slot; data is shared),
// then instrumented like tier 0 so promotion can continue.
//
// Counters, per function, all external globals of the tier-0 module:
//   __fluid.calls.F (i64)  calls, counted with an atomic add (exact)
//   __fluid.next.F  (i64)  when calls reach it, __fluid_jit_hot(id) is called
//   __fluid.loops.F (i64)  loop back-edges (plain add: a trigger, not a count)
//   __fluid.loopnext.F     the same for back-edges, so one long call is noticed
#pragma once

#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fluid::jit {

struct TierFunction {
    std::string name;
    uint32_t id { 0 };
};

struct TierThresholds {
    uint64_t calls;
    uint64_t back_edges;
};

class TierInstrumenter {
public:
    static constexpr const char* hot_callback = "__fluid_jit_hot";

    // The functions tiering manages: defined, externally visible, not
    // variadic, not our own helpers.
    static std::vector<std::string> tierable_functions(const llvm::Module&);

    static std::string slot_name(const std::string& function) { return "__fluid.slot." + function; }
    static std::string calls_name(const std::string& function) { return "__fluid.calls." + function; }
    static std::string next_name(const std::string& function) { return "__fluid.next." + function; }
    static std::string loops_name(const std::string& function) { return "__fluid.loops." + function; }
    static std::string loop_next_name(const std::string& function) { return "__fluid.loopnext." + function; }

    // The tier-0 rewrite above, for `functions` (ids assigned by the caller).
    static llvm::Error prepare_tier0(llvm::Module&, const std::vector<TierFunction>&, TierThresholds first);

    // Reduces a fresh parse of the same bitcode to version `symbol` of one
    // function. `count_loops` is false for the last tier.
    static llvm::Error prepare_version(llvm::Module&, const TierFunction&, const std::string& symbol, bool count_loops);

private:
    static void externalize_internal_globals(llvm::Module&);
    static void instrument(llvm::Function&, const TierFunction&, bool count_loops, std::vector<llvm::Function*>* done);
};

} // namespace fluid::jit
