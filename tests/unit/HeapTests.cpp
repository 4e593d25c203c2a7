#include "kernel/mm/Heap.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace fluid;

namespace {

// Hands out page runs from aligned_alloc and checks every run comes back
// exactly once with its original size.
class CountingPageSource final : public PageSource {
public:
    ~CountingPageSource() override { EXPECT_EQ(m_runs.size(), 0u) << "runs still held at destruction"; }

    ErrorOr<void*> allocate_pages(size_t pages) override
    {
        std::lock_guard lock(m_mutex);
        if (m_outstanding + pages > m_limit)
            return Error::format(ErrorCode::NoMemory, "fake: limit of %zu pages", m_limit);
        void* memory = aligned_alloc(4096, pages * 4096);
        if (!memory)
            return Error::from(ErrorCode::NoMemory, "fake: aligned_alloc failed");
        m_runs[memory] = pages;
        m_outstanding += pages;
        m_allocations++;
        return memory;
    }

    void free_pages(void* address, size_t pages) override
    {
        std::lock_guard lock(m_mutex);
        auto run = m_runs.find(address);
        ASSERT_NE(run, m_runs.end()) << "free of a run never handed out";
        ASSERT_EQ(run->second, pages) << "free with a different page count";
        m_runs.erase(run);
        m_outstanding -= pages;
        ::free(address);
    }

    size_t outstanding() const
    {
        std::lock_guard lock(m_mutex);
        return m_outstanding;
    }
    size_t allocations() const { return m_allocations; }
    void set_limit(size_t pages) { m_limit = pages; }

private:
    mutable std::mutex m_mutex;
    std::map<void*, size_t> m_runs;
    size_t m_outstanding { 0 };
    size_t m_allocations { 0 };
    size_t m_limit { SIZE_MAX };
};

uint8_t pattern_for(uint64_t id, size_t offset) { return uint8_t(id * 131 + offset * 7 + 1); }

void fill(void* pointer, size_t size, uint64_t id)
{
    auto bytes = static_cast<uint8_t*>(pointer);
    for (size_t i = 0; i < size; i++)
        bytes[i] = pattern_for(id, i);
}

bool intact(const void* pointer, size_t size, uint64_t id)
{
    auto bytes = static_cast<const uint8_t*>(pointer);
    for (size_t i = 0; i < size; i++) {
        if (bytes[i] != pattern_for(id, i))
            return false;
    }
    return true;
}

struct Live {
    void* pointer;
    size_t size;
    uint64_t id;
};

size_t random_size(std::mt19937_64& random)
{
    switch (random() % 10) {
    case 0: return random() % 70000;  // large
    case 1: return random() % 8192;
    case 2: return 0;
    default: return 1 + random() % 300; // the common, small case
    }
}

// Random allocate/free/reallocate against a shadow list, with every block
// filled with an id-derived pattern that is checked before it is freed.
void stress(Heap& heap, uint64_t seed, int operations, bool check_overlap)
{
    std::mt19937_64 random(seed);
    std::vector<Live> live;
    std::map<uintptr_t, size_t> ranges;
    uint64_t next_id = seed << 32;
    for (int op = 0; op < operations; op++) {
        uint64_t choice = random() % 100;
        if (live.empty() || choice < 50) {
            size_t size = random_size(random);
            size_t alignment = size_t(16) << (random() % 4 == 0 ? random() % 9 : 0);
            void* pointer = heap.allocate(size, alignment);
            ASSERT_NE(pointer, nullptr);
            ASSERT_EQ(reinterpret_cast<uintptr_t>(pointer) % alignment, 0u);
            ASSERT_GE(heap.usable_size(pointer), size);
            uint64_t id = next_id++;
            fill(pointer, size, id);
            if (check_overlap) {
                auto address = reinterpret_cast<uintptr_t>(pointer);
                size_t span = size ? size : 1;
                auto after = ranges.lower_bound(address);
                ASSERT_TRUE(after == ranges.end() || after->first >= address + span) << "overlaps the next block";
                if (after != ranges.begin()) {
                    auto before = std::prev(after);
                    ASSERT_LE(before->first + before->second, address) << "overlaps the previous block";
                }
                ranges[address] = span;
            }
            live.push_back({ pointer, size, id });
        } else {
            size_t index = random() % live.size();
            Live block = live[index];
            ASSERT_TRUE(intact(block.pointer, block.size, block.id)) << "block " << block.id << " was overwritten";
            if (check_overlap)
                ranges.erase(reinterpret_cast<uintptr_t>(block.pointer));
            if (choice < 85) {
                heap.free(block.pointer);
                live[index] = live.back();
                live.pop_back();
            } else {
                size_t new_size = random_size(random) + 1;
                void* moved = heap.reallocate(block.pointer, new_size);
                ASSERT_NE(moved, nullptr);
                size_t kept = block.size < new_size ? block.size : new_size;
                ASSERT_TRUE(intact(moved, kept, block.id)) << "reallocate lost contents";
                fill(moved, new_size, block.id);
                live[index] = { moved, new_size, block.id };
                if (check_overlap)
                    ranges[reinterpret_cast<uintptr_t>(moved)] = new_size;
            }
        }
    }
    for (auto& block : live) {
        ASSERT_TRUE(intact(block.pointer, block.size, block.id));
        heap.free(block.pointer);
    }
}

} // namespace

TEST(Heap, SmallAllocationsAreDistinctAlignedAndSized)
{
    CountingPageSource source;
    Heap heap(source);
    std::vector<void*> pointers;
    for (size_t size = 0; size <= 4200; size += 7) {
        void* pointer = heap.allocate(size);
        ASSERT_NE(pointer, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(pointer) % 16, 0u);
        EXPECT_GE(heap.usable_size(pointer), size ? size : 1);
        memset(pointer, 0xab, heap.usable_size(pointer));
        pointers.push_back(pointer);
    }
    std::sort(pointers.begin(), pointers.end());
    EXPECT_EQ(std::adjacent_find(pointers.begin(), pointers.end()), pointers.end());
    for (void* pointer : pointers)
        heap.free(pointer);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_EQ(heap.invalid_free_count(), 0u);
}

TEST(Heap, ZeroSizeAllocationsAreUnique)
{
    CountingPageSource source;
    Heap heap(source);
    void* a = heap.allocate(0);
    void* b = heap.allocate(0);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_NE(a, b);
    heap.free(a);
    heap.free(b);
    heap.free(nullptr);
    EXPECT_EQ(heap.invalid_free_count(), 0u);
}

TEST(Heap, FreedMemoryIsReused)
{
    CountingPageSource source;
    Heap heap(source);
    void* first = heap.allocate(40);
    heap.free(first);
    EXPECT_EQ(heap.allocate(40), first);
    size_t pages_before = source.allocations();
    for (int i = 0; i < 100000; i++)
        heap.free(heap.allocate(100));
    EXPECT_LE(source.allocations(), pages_before + 1); // not a bump allocator
}

TEST(Heap, AlignmentsUpToOneMib)
{
    CountingPageSource source;
    Heap heap(source);
    for (size_t alignment = 16; alignment <= (size_t(1) << 20); alignment *= 2) {
        for (size_t size : { size_t(1), size_t(24), alignment / 2 + 1, alignment, alignment + 100, size_t(5000) }) {
            void* pointer = heap.allocate(size, alignment);
            ASSERT_NE(pointer, nullptr) << size << " aligned to " << alignment;
            EXPECT_EQ(reinterpret_cast<uintptr_t>(pointer) % alignment, 0u) << size << " aligned to " << alignment;
            ASSERT_GE(heap.usable_size(pointer), size);
            memset(pointer, 0x5a, size);
            heap.free(pointer);
        }
    }
    EXPECT_EQ(heap.allocate(64, 48), nullptr); // not a power of two
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
}

TEST(Heap, ReallocatePreservesContents)
{
    CountingPageSource source;
    Heap heap(source);
    auto* bytes = static_cast<uint8_t*>(heap.reallocate(nullptr, 10));
    ASSERT_NE(bytes, nullptr);
    fill(bytes, 10, 7);
    size_t size = 10;
    for (size_t new_size : { 16, 17, 300, 2048, 2049, 100000, 3000000, 50, 1, 70000 }) {
        auto* moved = static_cast<uint8_t*>(heap.reallocate(bytes, new_size));
        ASSERT_NE(moved, nullptr);
        ASSERT_TRUE(intact(moved, std::min(size, new_size), 7)) << "at " << new_size;
        ASSERT_GE(heap.usable_size(moved), new_size);
        fill(moved, new_size, 7);
        bytes = moved;
        size = new_size;
    }
    EXPECT_EQ(heap.reallocate(bytes, 0), nullptr); // frees, like glibc
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_EQ(heap.invalid_free_count(), 0u);
}

TEST(Heap, RandomStressAgainstShadowModel)
{
    CountingPageSource source;
    Heap heap(source);
    stress(heap, 42, 60000, true);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_EQ(heap.invalid_free_count(), 0u);
    EXPECT_EQ(heap.stats().pages_held, source.outstanding());
}

TEST(Heap, MemoryGoesBackToThePageSource)
{
    CountingPageSource source;
    {
        Heap heap(source);
        std::vector<void*> pointers;
        for (int i = 0; i < 20000; i++)
            pointers.push_back(heap.allocate(16 + (i % 97) * 16));
        for (int i = 0; i < 50; i++)
            pointers.push_back(heap.allocate(100000 + i));
        size_t peak_pages = heap.stats().pages_held;
        EXPECT_EQ(peak_pages, source.outstanding());
        for (void* pointer : pointers)
            heap.free(pointer);
        Heap::Stats after = heap.stats();
        EXPECT_EQ(after.bytes_in_use, 0u);
        EXPECT_EQ(after.pages_held, source.outstanding());
        // At most one cached span per class besides metadata.
        EXPECT_LT(after.pages_held, peak_pages / 4);
        heap.trim();
        size_t metadata = heap.stats().pages_held;
        EXPECT_EQ(metadata, source.outstanding());
        // Only descriptors and page-map nodes remain: a few % of the peak.
        EXPECT_LE(metadata, peak_pages / 20);
        EXPECT_EQ(after.allocation_count, pointers.size());
        EXPECT_EQ(after.free_count, pointers.size());
        EXPECT_GT(after.peak_bytes_in_use, 20000u * 16);
    }
    EXPECT_EQ(source.outstanding(), 0u); // the destructor returned the rest
}

TEST(Heap, DestructorReleasesLiveAllocations)
{
    CountingPageSource source;
    {
        Heap heap(source);
        for (int i = 0; i < 1000; i++)
            heap.allocate(i * 37);
    }
    EXPECT_EQ(source.outstanding(), 0u);
}

namespace {
std::vector<std::string> g_reports;
void record_report(const void*, const char* reason) { g_reports.push_back(reason); }
} // namespace

TEST(Heap, InvalidFreesAreReportedNotFollowed)
{
    CountingPageSource source;
    Heap heap(source);
    g_reports.clear();
    heap.set_invalid_free_handler(record_report);

    int on_stack = 0;
    heap.free(&on_stack);
    void* small = heap.allocate(64);
    void* keep = heap.allocate(64); // keeps the span alive after `small` goes
    heap.free(static_cast<uint8_t*>(small) + 8); // interior
    heap.free(small);
    heap.free(small); // double
    void* large = heap.allocate(100000);
    heap.free(static_cast<uint8_t*>(large) + 4096);
    heap.free(large);
    heap.free(large); // double
    EXPECT_EQ(heap.reallocate(&on_stack, 10), nullptr);
    EXPECT_EQ(heap.usable_size(&on_stack), 0u);
    EXPECT_EQ(heap.usable_size(small), 0u);

    EXPECT_EQ(heap.invalid_free_count(), 6u);
    ASSERT_EQ(g_reports.size(), 6u);
    EXPECT_NE(g_reports[2].find("double free"), std::string::npos);
    heap.free(keep);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    // The heap still works after all that.
    stress(heap, 7, 2000, false);
}

TEST(Heap, CorruptedFreeListIsDetected)
{
    CountingPageSource source;
    Heap heap(source);
    g_reports.clear();
    heap.set_invalid_free_handler(record_report);
    void* a = heap.allocate(32);
    void* b = heap.allocate(32);
    heap.free(a);
    heap.free(b);
    // Write after free: point b's free-list link at a stack address.
    int on_stack = 0;
    void* bogus = &on_stack;
    memcpy(b, &bogus, sizeof(bogus));
    EXPECT_EQ(heap.allocate(32), b);
    EXPECT_EQ(g_reports.size(), 1u);
    void* c = heap.allocate(32);
    EXPECT_NE(c, &on_stack);
    EXPECT_NE(c, b);
}

TEST(Heap, PageSourceExhaustionReturnsNull)
{
    CountingPageSource source;
    Heap heap(source);
    source.set_limit(64);
    std::vector<void*> pointers;
    for (;;) {
        void* pointer = heap.allocate(1000);
        if (!pointer)
            break;
        pointers.push_back(pointer);
        ASSERT_LT(pointers.size(), 100000u);
    }
    EXPECT_EQ(heap.allocate(1 << 20), nullptr);
    EXPECT_EQ(heap.allocate(size_t(1) << 50), nullptr);
    EXPECT_GT(pointers.size(), 0u);
    heap.free(pointers.back());
    pointers.pop_back();
    EXPECT_NE(heap.allocate(1000), nullptr);
    for (void* pointer : pointers)
        heap.free(pointer);
}

TEST(Heap, MultithreadedStress)
{
    CountingPageSource source;
    Heap heap(source);
    std::vector<std::thread> threads;
    for (uint64_t id = 1; id <= 4; id++)
        threads.emplace_back([&heap, id] { stress(heap, id, 25000, false); });
    for (auto& thread : threads)
        thread.join();
    Heap::Stats stats = heap.stats();
    EXPECT_EQ(stats.bytes_in_use, 0u);
    EXPECT_EQ(stats.allocation_count, stats.free_count);
    EXPECT_EQ(heap.invalid_free_count(), 0u);
    EXPECT_EQ(stats.pages_held, source.outstanding());
}
