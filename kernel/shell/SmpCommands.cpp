#include "kernel/shell/SmpCommands.h"

#include "kernel/drivers/Console.h"
#include "kernel/lib/Spinlock.h"
#include "kernel/smp/Cpu.h"
#include "kernel/smp/SmpExecutor.h"

#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/mp.h>

#include <atomic>
#include <cstdlib>

namespace fluid {

void cmd_cpus(const CommandLine& args)
{
    CpuTable& table = cpus();
    bool json = args.has_flag("--json");
    char features[128];
    arch::cpu_feature_summary(features, sizeof(features));
    if (json)
        kprintf("{\"count\":%u,\"online\":%u,\"interrupt_controller\":\"%s\",\"timer_hz\":%lu,\"features\":\"%s\","
                "\"cpus\":[",
                table.count(), table.online_count(), arch::interrupt_controller_name(), arch::local_timer_hz(),
                features);
    else
        kprintf("%u of %u CPU(s) online; %s, local timer %lu Hz; features: %s\n", table.online_count(), table.count(),
                arch::interrupt_controller_name(), arch::local_timer_hz(), features);
    for (uint32_t i = 0; i < table.count(); ++i) {
        Cpu& cpu = table[i];
        bool online = cpu.online.load();
        if (json)
            kprintf("%s{\"index\":%u,\"acpi_id\":%u,\"apic_id\":%u,\"online\":%s,\"start_us\":%lu,\"chunks\":%lu,"
                    "\"wakeups\":%lu}",
                    i ? "," : "", i, cpu.acpi_id, cpu.hardware_id, online ? "true" : "false", cpu.start_us,
                    cpu.chunks.load(), cpu.wakeups.load());
        else
            kprintf("  cpu %-3u acpi_id %-3u apic_id %-3u %-8s %s  started in %lu us, %lu chunks, %lu wake-ups\n", i,
                    cpu.acpi_id, cpu.hardware_id, online ? "online" : "offline", i == 0 ? "(boot)" : "      ",
                    cpu.start_us, cpu.chunks.load(), cpu.wakeups.load());
    }
    if (json)
        kprintf("]}\n");
}

namespace {

// Per-core record of one parallel run: chunks and busy time.
struct CoreUsage {
    std::atomic<uint64_t> chunks[CpuTable::capacity];
    std::atomic<uint64_t> busy_ns[CpuTable::capacity];
    void record(uint64_t start_ns)
    {
        uint32_t cpu = arch::current_cpu_index();
        chunks[cpu].fetch_add(1, std::memory_order_relaxed);
        busy_ns[cpu].fetch_add(arch::now_ns() - start_ns, std::memory_order_relaxed);
    }
};

// A value that takes some arithmetic to compute (splitmix64).
uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

uint64_t mix_range(uint64_t begin, uint64_t end)
{
    uint64_t sum = 0;
    for (uint64_t i = begin; i < end; ++i)
        sum += mix(i);
    return sum;
}

struct LockResult {
    uint64_t expected, counted, attributed, elapsed_us;
};

LockResult lock_stress()
{
    uint64_t t0 = arch::now_ns();
    // Small on purpose: under QEMU with more virtual CPUs than host cores
    // a FIFO lock hands over to descheduled vCPUs, and each handover
    // costs a host time slice.
    constexpr uint64_t rounds = 64;
    uint64_t items = 4 * cpus().online_count();
    Spinlock lock;
    uint64_t counter = 0;
    std::atomic<uint64_t> attributed { 0 };
    parallel_for(smp_executor(), 0, items, 1, [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            for (uint64_t r = 0; r < rounds; ++r) {
                LockGuard guard(lock);
                // A read-modify-write the lock must make atomic: split
                // apart so a missing lock shows up as lost increments.
                uint64_t value = counter;
                asm volatile("" ::: "memory");
                counter = value + 1;
            }
            attributed.fetch_add(rounds, std::memory_order_relaxed);
        }
    });
    return { items * rounds, counter, attributed.load(), (arch::now_ns() - t0) / 1000 };
}

uint64_t parallel_mix(uint64_t n, CoreUsage* usage)
{
    std::atomic<uint64_t> total { 0 };
    parallel_for(smp_executor(), 0, n, 1 << 14, [&](size_t begin, size_t end) {
        uint64_t start = arch::now_ns();
        total.fetch_add(mix_range(begin, end), std::memory_order_relaxed);
        if (usage)
            usage->record(start);
    });
    return total.load();
}

void print_usage(const CoreUsage& usage, bool json)
{
    for (uint32_t i = 0; i < cpus().count(); ++i) {
        uint64_t chunks = usage.chunks[i].load(), busy_us = usage.busy_ns[i].load() / 1000;
        if (json)
            kprintf("%s{\"cpu\":%u,\"chunks\":%lu,\"busy_us\":%lu}", i ? "," : "", i, chunks, busy_us);
        else
            kprintf("  cpu %-3u %6lu chunks  busy %8lu us\n", i, chunks, busy_us);
    }
}

} // namespace

void cmd_smp_test(const CommandLine& args)
{
    bool json = args.has_flag("--json");
    auto* usage = new CoreUsage {};
    uint32_t online = cpus().online_count();

    LockResult lock = lock_stress();
    bool lock_ok = lock.counted == lock.expected && lock.attributed == lock.expected;

    constexpr uint64_t n = 1 << 22;
    uint64_t t0 = arch::now_ns();
    uint64_t serial = mix_range(0, n);
    uint64_t t1 = arch::now_ns();
    uint64_t parallel = parallel_mix(n, usage);
    uint64_t t2 = arch::now_ns();
    bool sum_ok = serial == parallel;
    bool all_ran = true;
    for (uint32_t i = 0; i < cpus().count(); ++i)
        all_ran &= !cpus()[i].online.load() || usage->chunks[i].load() > 0;

    if (json) {
        kprintf("{\"cpus\":%u,\"lock\":{\"expected\":%lu,\"counted\":%lu,\"us\":%lu,\"ok\":%s},"
                "\"sum\":{\"n\":%lu,\"serial\":%lu,\"parallel\":%lu,\"serial_us\":%lu,\"parallel_us\":%lu,\"ok\":%s},"
                "\"every_cpu_ran\":%s,\"per_cpu\":[",
                online, lock.expected, lock.counted, lock.elapsed_us, lock_ok ? "true" : "false", n, serial, parallel,
                (t1 - t0) / 1000, (t2 - t1) / 1000, sum_ok ? "true" : "false", all_ran ? "true" : "false");
        print_usage(*usage, true);
        kprintf("],\"ok\":%s}\n", lock_ok && sum_ok ? "true" : "false");
    } else {
        kprintf("lock stress on %u CPU(s): %lu increments expected, %lu counted in %lu us: %s\n", online,
                lock.expected, lock.counted, lock.elapsed_us, lock_ok ? "ok" : "FAILED");
        kprintf("parallel sum of %lu values: serial %lu (%lu us), parallel %lu (%lu us): %s\n", n, serial,
                (t1 - t0) / 1000, parallel, (t2 - t1) / 1000, sum_ok ? "ok" : "FAILED");
        kprintf("parallel sum, per CPU:\n");
        print_usage(*usage, false);
        kprintf("smp-test: %s\n", lock_ok && sum_ok ? "passed" : "FAILED");
    }
    delete usage;
}

namespace {

uint64_t median_of(uint64_t* values, size_t count)
{
    for (size_t i = 1; i < count; ++i)
        for (size_t j = i; j > 0 && values[j - 1] > values[j]; --j) {
            uint64_t t = values[j];
            values[j] = values[j - 1];
            values[j - 1] = t;
        }
    return values[count / 2];
}

struct Timing {
    uint64_t serial_us, parallel_us;
    bool same;
};

// Times `work(parallel)` five times each way and keeps the medians.
template<typename Work>
Timing time_both(Work&& work)
{
    constexpr size_t runs = 5;
    uint64_t serial[runs], parallel[runs];
    uint64_t reference = 0;
    bool same = true;
    for (size_t r = 0; r < runs; ++r) {
        uint64_t t0 = arch::now_ns();
        uint64_t a = work(false);
        uint64_t t1 = arch::now_ns();
        uint64_t b = work(true);
        uint64_t t2 = arch::now_ns();
        same &= a == b && (r == 0 || a == reference);
        reference = a;
        serial[r] = (t1 - t0) / 1000;
        parallel[r] = (t2 - t1) / 1000;
    }
    return { median_of(serial, runs), median_of(parallel, runs), same };
}

void print_timing(const char* name, const Timing& t, bool json, bool first)
{
    uint64_t speedup_x100 = t.parallel_us ? t.serial_us * 100 / t.parallel_us : 0;
    if (json)
        kprintf("%s\"%s\":{\"serial_us\":%lu,\"parallel_us\":%lu,\"speedup\":%lu.%02lu,\"ok\":%s}", first ? "" : ",",
                name, t.serial_us, t.parallel_us, speedup_x100 / 100, speedup_x100 % 100, t.same ? "true" : "false");
    else
        kprintf("  %-8s 1 CPU %8lu us   %u CPUs %8lu us   speed-up %lu.%02lux  %s\n", name, t.serial_us,
                cpus().online_count(), t.parallel_us, speedup_x100 / 100, speedup_x100 % 100,
                t.same ? "results agree" : "RESULTS DIFFER");
}

} // namespace

void cmd_smp_bench(const CommandLine& args)
{
    bool json = args.has_flag("--json");
    constexpr uint64_t compute_n = 1 << 21;
    Timing compute = time_both([](bool parallel) {
        return parallel ? parallel_mix(compute_n, nullptr) : mix_range(0, compute_n);
    });
    // Memory-bound: sum 64 MiB, more than any cache.
    constexpr size_t words = (64u << 20) / sizeof(uint64_t);
    auto* data = static_cast<uint64_t*>(aligned_alloc(4096, words * sizeof(uint64_t)));
    if (!data) {
        kprintf("error: no memory for the 64 MiB buffer\n");
        return;
    }
    for (size_t i = 0; i < words; ++i)
        data[i] = i * 7;
    Timing memory = time_both([&](bool parallel) {
        auto sum = [&](size_t begin, size_t end) {
            uint64_t s = 0;
            for (size_t i = begin; i < end; ++i)
                s += data[i];
            return s;
        };
        if (!parallel)
            return sum(0, words);
        std::atomic<uint64_t> total { 0 };
        parallel_for(smp_executor(), 0, words, 1 << 17,
                     [&](size_t b, size_t e) { total.fetch_add(sum(b, e), std::memory_order_relaxed); });
        return total.load();
    });
    free(data);
    if (json)
        kprintf("{\"cpus\":%u,\"runs\":5,", cpus().online_count());
    else
        kprintf("parallel_for speed-up, median of 5 runs, %u CPU(s) online:\n", cpus().online_count());
    print_timing("compute", compute, json, true);
    print_timing("memory", memory, json, false);
    if (json)
        kprintf("}\n");
}

} // namespace fluid
