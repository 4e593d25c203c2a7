#include "jit/TierInstrumenter.h"

#include "jit/LlvmError.h"

#include <algorithm>

#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>

namespace fluid::jit {

std::vector<std::string> TierInstrumenter::tierable_functions(const llvm::Module& module)
{
    std::vector<std::string> names;
    for (const llvm::Function& function : module.functions()) {
        if (function.isDeclaration() || function.hasLocalLinkage() || function.isVarArg() || !function.hasName()
            || function.getName().starts_with("__fluid"))
            continue;
        names.push_back(function.getName().str());
    }
    return names;
}

void TierInstrumenter::externalize_internal_globals(llvm::Module& module)
{
    for (llvm::GlobalVariable& global : module.globals()) {
        // Constants may be copied into every version (and stay foldable);
        // only mutable state must exist once.
        if (!global.hasLocalLinkage() || global.isDeclaration() || global.isConstant())
            continue;
        // Deterministic, so every parse of the bitcode agrees on the name.
        std::string name = global.hasName() ? global.getName().str() : "anon";
        global.setName("__fluid.g." + name);
        global.setLinkage(llvm::GlobalValue::ExternalLinkage);
        global.setVisibility(llvm::GlobalValue::DefaultVisibility);
        global.setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::None);
    }
}

static llvm::GlobalVariable* counter(llvm::Module& module, const std::string& name, uint64_t initial, bool define)
{
    auto* type = llvm::Type::getInt64Ty(module.getContext());
    if (auto* existing = module.getGlobalVariable(name))
        return existing;
    auto* global = new llvm::GlobalVariable(module, type, false, llvm::GlobalValue::ExternalLinkage,
                                            define ? llvm::ConstantInt::get(type, initial) : nullptr, name);
    global->setAlignment(llvm::Align(64)); // its own cache line: counters are written by every core
    return global;
}

// if (bump(counter) >= *next) __fluid_jit_hot(id), before `before`.
static void count_and_check(llvm::Instruction* before, llvm::GlobalVariable* count, llvm::GlobalVariable* next,
                            uint32_t id, bool atomic)
{
    llvm::Module& module = *before->getModule();
    llvm::IRBuilder<> b(before);
    auto* i64 = b.getInt64Ty();
    llvm::Value* value;
    if (atomic) {
        value = b.CreateAtomicRMW(llvm::AtomicRMWInst::Add, count, b.getInt64(1), llvm::MaybeAlign(8),
                                  llvm::AtomicOrdering::Monotonic);
    } else {
        value = b.CreateLoad(i64, count);
        b.CreateStore(b.CreateAdd(value, b.getInt64(1)), count);
    }
    auto* limit = b.CreateLoad(i64, next);
    auto* hot = b.CreateICmpUGE(b.CreateAdd(value, b.getInt64(1)), limit);
    llvm::MDNode* unlikely = llvm::MDBuilder(module.getContext()).createBranchWeights(1, 1 << 20);
    llvm::Instruction* then = llvm::SplitBlockAndInsertIfThen(hot, before, false, unlikely);
    llvm::IRBuilder<> t(then);
    auto callee = module.getOrInsertFunction(TierInstrumenter::hot_callback,
                                             llvm::FunctionType::get(t.getVoidTy(), { i64 }, false));
    t.CreateCall(callee, { t.getInt64(id) });
}

// Back-edges: branches to a block that dominates the branch.
static void count_back_edges(llvm::Function& function, llvm::GlobalVariable* loops, llvm::GlobalVariable* loop_next,
                             uint32_t id)
{
    llvm::DominatorTree tree(function);
    std::vector<llvm::Instruction*> latches;
    for (llvm::BasicBlock& block : function) {
        for (llvm::BasicBlock* successor : llvm::successors(&block))
            if (tree.dominates(successor, &block)) {
                latches.push_back(block.getTerminator());
                break;
            }
    }
    for (llvm::Instruction* latch : latches)
        count_and_check(latch, loops, loop_next, id, false);
}

// The module-internal functions `root` calls, directly or through each
// other: their loops run on behalf of `root`.
static std::vector<llvm::Function*> internal_callees(llvm::Function& root)
{
    std::vector<llvm::Function*> found, work { &root };
    while (!work.empty()) {
        llvm::Function* f = work.back();
        work.pop_back();
        for (llvm::Instruction& inst : llvm::instructions(*f)) {
            auto* call = llvm::dyn_cast<llvm::CallBase>(&inst);
            llvm::Function* callee = call ? call->getCalledFunction() : nullptr;
            if (!callee || callee == &root || callee->isDeclaration() || !callee->hasLocalLinkage()
                || std::find(found.begin(), found.end(), callee) != found.end())
                continue;
            found.push_back(callee);
            work.push_back(callee);
        }
    }
    return found;
}

void TierInstrumenter::instrument(llvm::Function& function, const TierFunction& tf, bool count_loops,
                                  std::vector<llvm::Function*>* done)
{
    llvm::Module& module = *function.getParent();
    bool define = false; // the tier-0 rewrite defines them first
    auto* calls = counter(module, calls_name(tf.name), 0, define);
    auto* next = counter(module, next_name(tf.name), 0, define);
    if (count_loops) {
        auto* loops = counter(module, loops_name(tf.name), 0, define);
        auto* loop_next = counter(module, loop_next_name(tf.name), 0, define);
        // Helpers first (found before the body changes); each is counted
        // once, for the first exported function that reaches it.
        for (llvm::Function* helper : internal_callees(function)) {
            if (done && std::find(done->begin(), done->end(), helper) != done->end())
                continue;
            if (done)
                done->push_back(helper);
            count_back_edges(*helper, loops, loop_next, tf.id);
        }
        count_back_edges(function, loops, loop_next, tf.id);
    }
    count_and_check(&*function.getEntryBlock().getFirstInsertionPt(), calls, next, tf.id, true);
}

llvm::Error TierInstrumenter::prepare_tier0(llvm::Module& module, const std::vector<TierFunction>& functions,
                                            TierThresholds first)
{
    externalize_internal_globals(module);
    auto* ptr = llvm::PointerType::get(module.getContext(), 0);
    std::vector<llvm::Function*> bodies;
    for (const TierFunction& tf : functions) {
        llvm::Function* body = module.getFunction(tf.name);
        if (!body || body->isDeclaration())
            return make_llvm_error(ErrorCode::Invalid, "tiering: no definition of '" + tf.name + "'");
        counter(module, calls_name(tf.name), 0, true);
        counter(module, next_name(tf.name), first.calls, true);
        counter(module, loops_name(tf.name), 0, true);
        counter(module, loop_next_name(tf.name), first.back_edges, true);

        // The entry takes F's name and place; the body becomes F.t0.
        auto* entry = llvm::Function::Create(body->getFunctionType(), body->getLinkage(), "", module);
        entry->copyAttributesFrom(body);
        body->replaceAllUsesWith(entry);
        entry->takeName(body);
        body->setName(tf.name + ".t0");
        body->setLinkage(llvm::GlobalValue::InternalLinkage);
        auto* slot = new llvm::GlobalVariable(module, ptr, false, llvm::GlobalValue::ExternalLinkage, body,
                                              slot_name(tf.name));
        slot->setAlignment(llvm::Align(8));

        llvm::IRBuilder<> b(llvm::BasicBlock::Create(module.getContext(), "entry", entry));
        auto* target = b.CreateAlignedLoad(ptr, slot, llvm::Align(8));
        llvm::cast<llvm::LoadInst>(target)->setAtomic(llvm::AtomicOrdering::Monotonic);
        std::vector<llvm::Value*> args;
        for (llvm::Argument& arg : entry->args())
            args.push_back(&arg);
        auto* call = b.CreateCall(body->getFunctionType(), target, args);
        call->setTailCallKind(llvm::CallInst::TCK_MustTail);
        call->setCallingConv(body->getCallingConv());
        if (entry->getReturnType()->isVoidTy())
            b.CreateRetVoid();
        else
            b.CreateRet(call);
        bodies.push_back(body);
    }
    // Instrument after every entry exists, so helper searches see the
    // final call graph (calls to another exported function reach its entry).
    std::vector<llvm::Function*> done(bodies.begin(), bodies.end());
    for (size_t i = 0; i < functions.size(); ++i)
        instrument(*bodies[i], functions[i], true, &done);
    return llvm::Error::success();
}

llvm::Error TierInstrumenter::prepare_version(llvm::Module& module, const TierFunction& tf, const std::string& symbol,
                                              bool count_loops)
{
    externalize_internal_globals(module);
    llvm::Function* target = module.getFunction(tf.name);
    if (!target || target->isDeclaration())
        return make_llvm_error(ErrorCode::Invalid, "tiering: no definition of '" + tf.name + "'");
    target->setName(symbol);
    for (llvm::Function& function : module.functions()) {
        if (&function == target || function.isDeclaration() || function.hasLocalLinkage())
            continue;
        function.deleteBody(); // now a declaration: resolved to the tier-0 entry
        function.setLinkage(llvm::GlobalValue::ExternalLinkage);
    }
    for (llvm::GlobalVariable& global : module.globals()) {
        if (global.isDeclaration() || global.hasLocalLinkage())
            continue; // internal ones left are constants: a private copy is fine
        global.setInitializer(nullptr); // shared with tier 0
        global.setLinkage(llvm::GlobalValue::ExternalLinkage);
        global.setComdat(nullptr);
    }
    std::vector<llvm::Function*> done { target };
    instrument(*target, tf, count_loops, &done);
    return llvm::Error::success();
}

} // namespace fluid::jit
