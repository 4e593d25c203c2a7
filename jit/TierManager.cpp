#include "jit/TierManager.h"

#include "jit/LlvmError.h"
#include "jit/TierInstrumenter.h"

#include <llvm/IR/Module.h>

namespace fluid::jit {

namespace {
enum State : uint8_t { Idle, Queued, Compiling };
constexpr uint64_t never = ~0ull;

std::atomic_ref<uint64_t> word(uint64_t address) { return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(address)); }
}

struct TierManager::Function {
    uint32_t id { 0 };
    std::string module_name, name;
    ModuleHandle handle;
    std::shared_ptr<std::vector<uint8_t>> bitcode;
    // Addresses of the tier-0 module's globals (TierInstrumenter.h).
    uint64_t slot { 0 }, calls { 0 }, next { 0 }, loops { 0 }, loop_next { 0 };
    std::atomic<uint8_t> state { Idle };
    size_t step { 0 };      // policy steps taken
    OptLevel tier { OptLevel::O0 };
    bool pinned { false };
    bool forgotten { false };
    uint32_t version_id { 0 };  // 0 while the tier-0 body runs
    uint32_t versions_made { 0 };
    TierEvent pending;
    std::vector<TierEvent> events; // capacity stops at max_events
    uint64_t events_dropped { 0 };
    uint64_t timed_calls[4] {}, timed_ns[4] {};
};

TierManager::TierManager(Engine& engine, Platform platform)
    : m_engine(engine)
    , m_platform(platform)
{
}

TierManager::~TierManager() = default;

TierPolicy TierManager::policy() const
{
    std::lock_guard guard(m_lock);
    return m_policy;
}

void TierManager::set_policy(const TierPolicy& policy)
{
    std::lock_guard guard(m_lock);
    m_policy = policy;
}

TierManager::Function* TierManager::function(uint64_t id) const
{
    if (id == 0 || id > m_function_count.load(std::memory_order_acquire))
        return nullptr;
    return m_functions[id - 1].get();
}

ErrorOr<ModuleHandle> TierManager::load(std::string_view name, std::span<const uint8_t> bitcode)
{
    std::lock_guard guard(m_lock);
    auto bytes = std::make_shared<std::vector<uint8_t>>(bitcode.begin(), bitcode.end());
    uint32_t first_id = m_function_count.load() + 1;
    std::vector<TierFunction> functions;
    TierThresholds first { never, never };
    if (m_policy.enabled && !m_policy.steps.empty())
        first = { m_policy.steps[0].calls, m_policy.steps[0].back_edges };
    auto transform = [&](llvm::Module& module) -> ErrorOr<void> {
        for (auto& fn : TierInstrumenter::tierable_functions(module))
            functions.push_back({ fn, first_id + uint32_t(functions.size()) });
        if (first_id - 1 + functions.size() > max_functions)
            return Error::format(ErrorCode::NoMemory, "tiering: more than %zu functions", max_functions);
        if (auto error = TierInstrumenter::prepare_tier0(module, functions, first))
            return to_fluid_error(ErrorCode::Invalid, "tiering", std::move(error));
        return {};
    };
    ModuleHandle handle = TRY(m_engine.load_module(name, *bytes, OptLevel::O0, transform));
    uint64_t now = m_platform.now_ns ? m_platform.now_ns() : 0;
    for (const TierFunction& tf : functions) {
        auto f = std::make_unique<Function>();
        f->id = tf.id;
        f->module_name = std::string(name);
        f->name = tf.name;
        f->handle = handle;
        f->bitcode = bytes;
        f->slot = TRY(m_engine.lookup_any(handle, TierInstrumenter::slot_name(tf.name)));
        f->calls = TRY(m_engine.lookup_any(handle, TierInstrumenter::calls_name(tf.name)));
        f->next = TRY(m_engine.lookup_any(handle, TierInstrumenter::next_name(tf.name)));
        f->loops = TRY(m_engine.lookup_any(handle, TierInstrumenter::loops_name(tf.name)));
        f->loop_next = TRY(m_engine.lookup_any(handle, TierInstrumenter::loop_next_name(tf.name)));
        const ModuleInfo* info = m_engine.module_info(handle);
        f->events.push_back({ OptLevel::O0, 0, now, now, info ? info->compile_ns() : 0, info ? info->object_bytes : 0,
                              false });
        m_functions[tf.id - 1] = std::move(f);
    }
    m_function_count.store(first_id - 1 + uint32_t(functions.size()), std::memory_order_release);
    return handle;
}

void TierManager::forget(ModuleHandle handle)
{
    std::lock_guard guard(m_lock);
    for (uint32_t i = 0; i < m_function_count.load(); ++i) {
        Function& f = *m_functions[i];
        if (f.handle != handle || f.forgotten)
            continue;
        f.forgotten = true;
        if (f.version_id)
            (void)m_engine.remove_version(f.version_id);
        f.version_id = 0;
        // A compile of it that is under way holds its own reference to the
        // bitcode (promote) and drops its result once it sees `forgotten`.
        f.bitcode.reset();
        std::vector<TierEvent>().swap(f.events);
    }
    // Retired versions of the module would otherwise be removed later from
    // a JITDylib that Engine::unload has already torn down.
    for (size_t i = 0; i < m_retired.size();) {
        if (m_retired[i].module == handle) {
            (void)m_engine.remove_version(m_retired[i].version_id);
            m_retired.erase(m_retired.begin() + long(i));
        } else {
            ++i;
        }
    }
}

void TierManager::on_hot(uint64_t id)
{
    Function* f = function(id);
    if (!f || f->forgotten)
        return;
    uint8_t expected = Idle;
    if (!f->state.compare_exchange_strong(expected, Queued, std::memory_order_acq_rel))
        return; // already queued or being compiled
    uint64_t calls = word(f->calls).load(std::memory_order_relaxed);
    bool by_loops = calls < word(f->next).load(std::memory_order_relaxed);
    disarm(*f); // no more callbacks until the compile is done
    f->pending = TierEvent {};
    f->pending.at_calls = calls;
    f->pending.by_back_edges = by_loops;
    f->pending.queued_ns = m_platform.now_ns ? m_platform.now_ns() : 0;
    while (m_queue_lock.test_and_set(std::memory_order_acquire))
        ;
    bool queued = m_queue_tail - m_queue_head < queue_size;
    if (queued)
        m_queue[m_queue_tail++ % queue_size] = uint32_t(id);
    m_queue_lock.clear(std::memory_order_release);
    if (!queued) {
        f->state.store(Idle, std::memory_order_release);
        return;
    }
    if (m_platform.work_queued)
        m_platform.work_queued();
}

bool TierManager::has_work() const
{
    while (const_cast<std::atomic_flag&>(m_queue_lock).test_and_set(std::memory_order_acquire))
        ;
    bool work = m_queue_tail != m_queue_head;
    const_cast<std::atomic_flag&>(m_queue_lock).clear(std::memory_order_release);
    return work;
}

void TierManager::disarm(Function& f)
{
    word(f.next).store(never, std::memory_order_relaxed);
    word(f.loop_next).store(never, std::memory_order_relaxed);
}

// The thresholds of the function's next policy step, relative to where its
// counts are now; none if it is pinned, done, forgotten or tiering is off.
// Called with m_lock held.
void TierManager::arm_next_step(Function& f)
{
    if (f.forgotten || f.pinned || !m_policy.enabled || f.step >= m_policy.steps.size())
        return;
    const TierStep& step = m_policy.steps[f.step];
    uint64_t calls = word(f.calls).load(std::memory_order_relaxed);
    uint64_t loops = word(f.loops).load(std::memory_order_relaxed);
    word(f.next).store(std::max(step.calls, calls + 1), std::memory_order_relaxed);
    word(f.loop_next).store(loops + step.back_edges, std::memory_order_relaxed);
}

ErrorOr<bool> TierManager::compile_one()
{
    while (m_queue_lock.test_and_set(std::memory_order_acquire))
        ;
    uint32_t id = 0;
    if (m_queue_head != m_queue_tail)
        id = m_queue[m_queue_head++ % queue_size];
    m_queue_lock.clear(std::memory_order_release);
    if (!id)
        return false;

    std::unique_lock guard(m_lock);
    Function* f = function(id);
    f->state.store(Compiling, std::memory_order_release);
    bool done = f->forgotten || f->pinned || !m_policy.enabled || f->step >= m_policy.steps.size();
    ErrorOr<void> result {};
    if (!done) {
        result = promote(*f, m_policy.steps[f->step].level, f->step + 1 >= m_policy.steps.size(), guard);
        if (!result.is_error())
            ++f->step;
    }
    if (!result.is_error())
        arm_next_step(*f);
    f->state.store(Idle, std::memory_order_release);
    if (result.is_error())
        return result.release_error();
    return true;
}

// Called with m_lock held through `guard`; drops it for the compile, so
// `profile`, loads and other bookkeeping do not wait for LLVM. The
// function's state (Compiling) keeps anyone else from promoting it meanwhile.
ErrorOr<void> TierManager::promote(Function& f, OptLevel level, bool final_tier, std::unique_lock<std::mutex>& guard)
{
    std::string symbol = f.name + ".v" + std::to_string(++f.versions_made);
    TierFunction tf { f.name, f.id };
    bool last = final_tier; // the last tier counts calls only, not loops
    auto transform = [&](llvm::Module& module) -> ErrorOr<void> {
        if (auto error = TierInstrumenter::prepare_version(module, tf, symbol, !last))
            return to_fluid_error(ErrorCode::Invalid, "tiering", std::move(error));
        return {};
    };
    // forget() may drop the function's reference while the lock is down.
    std::shared_ptr<std::vector<uint8_t>> bitcode = f.bitcode;
    if (!bitcode)
        return Error::format(ErrorCode::Busy, "tiering: module of %s unloaded", f.name.c_str());
    guard.unlock();
    auto compiled = m_engine.add_version(f.handle, *bitcode, level, transform, symbol);
    guard.lock();
    CodeVersion version = TRY(std::move(compiled));
    if (f.forgotten) { // its module was unloaded while we compiled
        (void)m_engine.remove_version(version.id);
        return Error::format(ErrorCode::Busy, "tiering: module of %s unloaded during its compile", f.name.c_str());
    }
    // The swap: from the next call on, every caller runs the new code.
    word(f.slot).store(version.address, std::memory_order_release);
    TierEvent event = f.pending;
    event.level = level;
    event.swapped_ns = m_platform.now_ns ? m_platform.now_ns() : 0;
    if (!event.queued_ns)
        event.queued_ns = event.swapped_ns;
    event.compile_ns = version.optimize_ns + version.codegen_ns;
    event.object_bytes = version.object_bytes;
    add_event(f, event);
    f.pending = TierEvent {};
    // Callers may still be inside the old version: free it after an epoch.
    if (f.version_id)
        m_retired.push_back({ f.version_id, m_epoch.fetch_add(1, std::memory_order_seq_cst) + 1, f.handle });
    f.version_id = version.id;
    f.tier = level;
    return {};
}

// Keeps the first event and the latest ones: once the vector has grown to
// max_events, a promotion allocates nothing.
void TierManager::add_event(Function& f, const TierEvent& event)
{
    if (f.events.size() >= max_events) {
        f.events.erase(f.events.begin() + 1);
        ++f.events_dropped;
    }
    f.events.push_back(event);
}

ErrorOr<void> TierManager::pin(std::string_view module, std::string_view name, OptLevel level)
{
    return compile_now(module, name, level, true);
}

ErrorOr<void> TierManager::start_at(std::string_view module, std::string_view name, OptLevel level)
{
    return compile_now(module, name, level, false);
}

ErrorOr<void> TierManager::compile_now(std::string_view module, std::string_view name, OptLevel level, bool pinned)
{
    uint32_t id = find(module, name);
    if (!id)
        return Error::format(ErrorCode::NotFound, "tiering: no function %.*s in module %.*s", int(name.size()),
                             name.data(), int(module.size()), module.data());
    std::unique_lock guard(m_lock);
    Function* f = function(id);
    uint8_t expected = Idle;
    if (!f->state.compare_exchange_strong(expected, Compiling))
        return Error::from(ErrorCode::Busy, "tiering: the function is being compiled; try again");
    disarm(*f);
    f->pending = TierEvent {};
    f->pending.at_calls = word(f->calls).load(std::memory_order_relaxed);
    // Where on the ladder this leaves it: past every step at or below `level`.
    size_t step = 0;
    while (!pinned && step < m_policy.steps.size() && m_policy.steps[step].level <= level)
        ++step;
    if (!pinned)
        f->step = step;
    auto result = promote(*f, level, pinned || step >= m_policy.steps.size(), guard);
    if (!result.is_error() && pinned)
        f->pinned = true;
    if (!result.is_error())
        arm_next_step(*f);
    f->state.store(Idle, std::memory_order_release);
    return result;
}

size_t TierManager::reclaim(uint64_t min_observed_epoch)
{
    std::lock_guard guard(m_lock);
    size_t freed = 0;
    for (size_t i = 0; i < m_retired.size();) {
        if (m_retired[i].epoch <= min_observed_epoch) {
            (void)m_engine.remove_version(m_retired[i].version_id);
            m_retired.erase(m_retired.begin() + long(i));
            ++freed;
        } else {
            ++i;
        }
    }
    return freed;
}

size_t TierManager::retired_count() const
{
    std::lock_guard guard(m_lock);
    return m_retired.size();
}

uint32_t TierManager::find(std::string_view module, std::string_view name) const
{
    uint32_t count = m_function_count.load(std::memory_order_acquire);
    for (uint32_t i = 0; i < count; ++i) {
        const Function& f = *m_functions[i];
        if (!f.forgotten && f.module_name == module && f.name == name)
            return f.id;
    }
    return 0;
}

void TierManager::record_call_time(std::string_view module, std::string_view name, OptLevel tier, uint64_t ns,
                                   uint64_t calls)
{
    std::lock_guard guard(m_lock);
    Function* f = function(find(module, name));
    if (!f || f->tier != tier)
        return;
    f->timed_calls[int(tier)] += calls;
    f->timed_ns[int(tier)] += ns;
}

OptLevel TierManager::tier_of(std::string_view module, std::string_view name) const
{
    std::lock_guard guard(m_lock);
    Function* f = function(find(module, name));
    return f ? f->tier : OptLevel::O0;
}

std::vector<TierFunctionProfile> TierManager::profile() const
{
    std::lock_guard guard(m_lock);
    std::vector<TierFunctionProfile> result;
    for (uint32_t i = 0; i < m_function_count.load(); ++i) {
        const Function& f = *m_functions[i];
        if (f.forgotten)
            continue;
        TierFunctionProfile p { f.id, f.module_name, f.name, word(f.calls).load(std::memory_order_relaxed), f.tier,
                                f.pinned, f.events, {}, {}, f.events_dropped };
        for (int t = 0; t < 4; ++t) {
            p.timed_calls[t] = f.timed_calls[t];
            p.timed_ns[t] = f.timed_ns[t];
        }
        result.push_back(std::move(p));
    }
    return result;
}

} // namespace fluid::jit
