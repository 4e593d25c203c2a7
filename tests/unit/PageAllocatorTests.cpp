#include "kernel/mm/PageAllocator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace fluid;

namespace {

constexpr uint64_t page = PageAllocator::page_size;
constexpr uint64_t mib = 1024 * 1024;

// Host memory standing in for physical [0, backed_bytes): only the bitmap
// is ever written, so larger fake address spaces are fine as long as the
// allocator puts its bitmap inside this window.
class FakePhysicalMemory {
public:
    static constexpr uint64_t backed_bytes = 16 * mib;
    FakePhysicalMemory() : m_bytes(backed_bytes) { }
    uintptr_t offset() const { return reinterpret_cast<uintptr_t>(m_bytes.data()); }

private:
    std::vector<uint8_t> m_bytes;
};

struct Fixture {
    FakePhysicalMemory memory;
    PageAllocator allocator;

    ErrorOr<void> init(const std::vector<MemoryRegion>& regions, const std::vector<PhysRange>& reserved = {})
    {
        auto result = allocator.init(regions, reserved, memory.offset());
        if (!result.is_error()) {
            PhysRange bitmap = allocator.bitmap_range();
            EXPECT_LE(bitmap.base + bitmap.length, FakePhysicalMemory::backed_bytes);
        }
        return result;
    }

    std::vector<uint64_t> drain()
    {
        std::vector<uint64_t> pages;
        for (;;) {
            auto result = allocator.allocate(1);
            if (result.is_error()) {
                EXPECT_EQ(result.error().code(), ErrorCode::NoMemory);
                return pages;
            }
            pages.push_back(result.value());
        }
    }
};

bool overlaps(uint64_t base, uint64_t length, uint64_t other_base, uint64_t other_length)
{
    return base < other_base + other_length && other_base < base + length;
}

// Reference model: a page is allocatable iff it is wholly inside a Usable
// region, touches no other region, no reserved range, no bitmap, and is not page 0.
std::set<uint64_t> expected_pages(const std::vector<MemoryRegion>& regions, const std::vector<PhysRange>& reserved,
                                  PhysRange bitmap, uint64_t limit)
{
    std::set<uint64_t> pages;
    for (uint64_t address = page; address < limit; address += page) {
        bool usable = false, blocked = false;
        for (auto& region : regions) {
            if (region.type == MemoryType::Usable)
                usable |= region.base <= address && address + page <= region.base + region.length;
            else
                blocked |= overlaps(address, page, region.base, region.length);
        }
        for (auto& range : reserved)
            blocked |= overlaps(address, page, range.base, range.length);
        blocked |= overlaps(address, page, bitmap.base, bitmap.length);
        if (usable && !blocked)
            pages.insert(address);
    }
    return pages;
}

const std::vector<MemoryRegion> pc_map = {
    { 0, 0x9fc00, MemoryType::Usable },
    { 0x9fc00, 0x400, MemoryType::Reserved },
    { 0xf0000, 0x10000, MemoryType::Reserved },
    { 0x100000, 63 * mib, MemoryType::Usable },
};

} // namespace

TEST(PageAllocator, HandsOutExactlyTheUsableUnreservedPages)
{
    Fixture f;
    std::vector<PhysRange> reserved = { { 0x100000, 0x123456 }, { 0x800000, 0x1000 } };
    ASSERT_FALSE(f.init(pc_map, reserved).is_error());
    auto expected = expected_pages(pc_map, reserved, f.allocator.bitmap_range(), 64 * mib);
    EXPECT_EQ(f.allocator.total_bytes(), expected.size() * page);
    EXPECT_EQ(f.allocator.free_bytes(), f.allocator.total_bytes());
    EXPECT_EQ(f.allocator.highest_address(), 64 * mib);

    auto pages = f.drain();
    EXPECT_EQ(std::set<uint64_t>(pages.begin(), pages.end()), expected);
    EXPECT_EQ(pages.size(), expected.size()); // no duplicates
    EXPECT_EQ(f.allocator.free_bytes(), 0u);
    for (uint64_t address : pages)
        ASSERT_FALSE(f.allocator.free(address, 1).is_error());
    EXPECT_EQ(f.allocator.free_bytes(), f.allocator.total_bytes());
}

TEST(PageAllocator, BitmapIsPlacedAboveOneMibAndReserved)
{
    Fixture f;
    ASSERT_FALSE(f.init(pc_map, { { 0x100000, 0x200000 } }).is_error());
    PhysRange bitmap = f.allocator.bitmap_range();
    EXPECT_GE(bitmap.base, 0x300000u);
    EXPECT_GT(bitmap.length, 0u);
    for (uint64_t address : f.drain())
        EXPECT_FALSE(overlaps(address, page, bitmap.base, bitmap.length));
}

TEST(PageAllocator, RandomMapsMatchTheReferenceModel)
{
    std::mt19937_64 random(1234);
    for (int round = 0; round < 40; round++) {
        std::vector<MemoryRegion> regions;
        std::vector<PhysRange> reserved;
        int count = 1 + int(random() % 12);
        for (int i = 0; i < count; i++) {
            uint64_t base = random() % (8 * mib);
            uint64_t length = random() % (4 * mib);
            auto type = static_cast<MemoryType>(1 + random() % 5);
            if (i == 0) {
                base = 2 * mib + random() % 4096;
                length = 4 * mib;
                type = MemoryType::Usable;
            }
            regions.push_back({ base, length, type });
        }
        for (int i = 0; i < int(random() % 4); i++)
            reserved.push_back({ random() % (8 * mib), random() % (256 * 1024) });
        Fixture f;
        auto result = f.init(regions, reserved);
        if (result.is_error()) {
            EXPECT_EQ(result.error().code(), ErrorCode::NoMemory) << result.error().message();
            continue;
        }
        auto expected = expected_pages(regions, reserved, f.allocator.bitmap_range(), 16 * mib);
        auto pages = f.drain();
        ASSERT_EQ(std::set<uint64_t>(pages.begin(), pages.end()), expected) << "round " << round;
        ASSERT_EQ(pages.size(), expected.size());
        EXPECT_EQ(f.allocator.total_bytes(), expected.size() * page);
    }
}

TEST(PageAllocator, ContiguousAndAlignedRuns)
{
    Fixture f;
    ASSERT_FALSE(f.init(pc_map).is_error());
    std::vector<std::pair<uint64_t, uint64_t>> runs;
    for (auto [pages, align] : std::vector<std::pair<size_t, size_t>> { { 100, 1 }, { 16, 16 }, { 1, 512 }, { 512, 512 },
                                                                       { 3, 4 }, { 1000, 1 } }) {
        auto result = f.allocator.allocate(pages, align);
        ASSERT_FALSE(result.is_error()) << result.error().message();
        uint64_t address = result.value();
        EXPECT_EQ(address % (align * page), 0u) << pages << " pages aligned to " << align;
        for (auto& run : runs)
            EXPECT_FALSE(overlaps(address, pages * page, run.first, run.second));
        runs.push_back({ address, pages * page });
    }
    // Every page of every run is really taken: freeing each run works once.
    for (auto& run : runs)
        ASSERT_FALSE(f.allocator.free(run.first, run.second / page).is_error());
    for (auto& run : runs)
        EXPECT_TRUE(f.allocator.free(run.first, run.second / page).is_error());
    EXPECT_EQ(f.allocator.free_bytes(), f.allocator.total_bytes());
}

TEST(PageAllocator, RejectsBadRequests)
{
    Fixture f;
    ASSERT_FALSE(f.init(pc_map).is_error());
    EXPECT_EQ(f.allocator.allocate(0).error().code(), ErrorCode::Invalid);
    EXPECT_EQ(f.allocator.allocate(1, 3).error().code(), ErrorCode::Invalid);
    EXPECT_EQ(f.allocator.allocate(1, 0).error().code(), ErrorCode::Invalid);
    EXPECT_EQ(f.allocator.allocate_below(mib, 0).error().code(), ErrorCode::Invalid);
}

TEST(PageAllocator, HugeRequests)
{
    Fixture f;
    std::vector<MemoryRegion> regions = { { mib, 4096 * mib - mib, MemoryType::Usable } };
    ASSERT_FALSE(f.init(regions).is_error());
    EXPECT_EQ(f.allocator.highest_address(), 4096 * mib);
    auto first = f.allocator.allocate(300000);
    ASSERT_FALSE(first.is_error()) << first.error().message();
    auto second = f.allocator.allocate(300000, 512);
    ASSERT_FALSE(second.is_error()) << second.error().message();
    EXPECT_EQ(second.value() % (2 * mib), 0u);
    EXPECT_FALSE(overlaps(first.value(), 300000 * page, second.value(), 300000 * page));
    auto third = f.allocator.allocate(600000);
    ASSERT_TRUE(third.is_error());
    EXPECT_EQ(third.error().code(), ErrorCode::NoMemory);
    EXPECT_NE(std::string(third.error().message()).find("600000"), std::string::npos);
    ASSERT_FALSE(f.allocator.free(first.value(), 300000).is_error());
    ASSERT_FALSE(f.allocator.free(second.value(), 300000).is_error());
    EXPECT_FALSE(f.allocator.allocate(600000).is_error());
}

TEST(PageAllocator, ExhaustionAndReuse)
{
    Fixture f;
    ASSERT_FALSE(f.init({ { 2 * mib, 64 * page, MemoryType::Usable } }).is_error());
    auto pages = f.drain();
    ASSERT_EQ(pages.size(), 63u); // one page holds the bitmap
    auto exhausted = f.allocator.allocate(1);
    ASSERT_TRUE(exhausted.is_error());
    EXPECT_EQ(exhausted.error().code(), ErrorCode::NoMemory);
    ASSERT_FALSE(f.allocator.free(pages[17], 1).is_error());
    auto again = f.allocator.allocate(1);
    ASSERT_FALSE(again.is_error());
    EXPECT_EQ(again.value(), pages[17]);
}

TEST(PageAllocator, FreeErrors)
{
    Fixture f;
    ASSERT_FALSE(f.init(pc_map, { { 0x100000, 0x100000 } }).is_error());
    uint64_t address = f.allocator.allocate(4).value();
    uint64_t free_before = f.allocator.free_bytes();

    EXPECT_TRUE(f.allocator.free(address + 1, 1).is_error());             // unaligned
    EXPECT_TRUE(f.allocator.free(address, 0).is_error());                 // empty
    EXPECT_TRUE(f.allocator.free(0x100000, 1).is_error());                // reserved
    EXPECT_TRUE(f.allocator.free(0xf0000, 1).is_error());                 // firmware hole
    EXPECT_TRUE(f.allocator.free(0, 1).is_error());                       // page 0
    EXPECT_TRUE(f.allocator.free(f.allocator.bitmap_range().base, 1).is_error());
    EXPECT_TRUE(f.allocator.free(128 * mib, 1).is_error());               // past the top
    EXPECT_TRUE(f.allocator.free(address, UINT64_MAX / page).is_error()); // overflow
    EXPECT_TRUE(f.allocator.free(address, 5).is_error());                 // one page beyond is free
    EXPECT_EQ(f.allocator.free_bytes(), free_before);                     // nothing changed

    ASSERT_FALSE(f.allocator.free(address, 4).is_error());
    auto double_free = f.allocator.free(address + page, 1);
    ASSERT_TRUE(double_free.is_error());
    EXPECT_NE(std::string(double_free.error().message()).find("double free"), std::string::npos);
    EXPECT_EQ(f.allocator.free_bytes(), free_before + 4 * page);
}

TEST(PageAllocator, AllocateBelowReachesLowMemoryOnlyWhenNotReserved)
{
    Fixture f;
    ASSERT_FALSE(f.init(pc_map).is_error());
    auto trampoline = f.allocator.allocate_below(mib, 1);
    ASSERT_FALSE(trampoline.is_error());
    EXPECT_LT(trampoline.value(), mib);
    EXPECT_NE(trampoline.value(), 0u);
    auto run = f.allocator.allocate_below(mib, 8);
    ASSERT_FALSE(run.is_error());
    EXPECT_LE(run.value() + 8 * page, mib);

    std::vector<uint64_t> low;
    while (true) {
        auto next = f.allocator.allocate_below(0x9f000, 1);
        if (next.is_error())
            break;
        EXPECT_LE(next.value() + page, 0x9f000u);
        low.push_back(next.value());
    }
    EXPECT_EQ(low.size(), 0x9e - 1 - 8u); // pages 1..0x9e minus the trampoline and the run
    EXPECT_FALSE(f.allocator.allocate(1).is_error());

    Fixture guarded;
    ASSERT_FALSE(guarded.init(pc_map, { { 0, mib } }).is_error());
    auto refused = guarded.allocator.allocate_below(mib, 1);
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().code(), ErrorCode::NoMemory);
}

TEST(PageAllocator, InitErrors)
{
    Fixture none;
    EXPECT_EQ(none.init({ { 0, 0x800, MemoryType::Usable }, { mib, 64 * mib, MemoryType::Reserved } }).error().code(),
              ErrorCode::NoMemory);
    Fixture no_room; // 1 TiB of "RAM" needs a 64 MiB bitmap, and only 64 KiB is clear
    EXPECT_TRUE(no_room.init({ { mib, 64 * 1024, MemoryType::Usable }, { mib, 1ull << 40, MemoryType::Usable },
                               { mib + 64 * 1024, 1ull << 40, MemoryType::Reserved } })
                    .is_error());
    Fixture twice;
    ASSERT_FALSE(twice.init(pc_map).is_error());
    EXPECT_TRUE(twice.init(pc_map).is_error());

    PageAllocator uninitialised;
    EXPECT_TRUE(uninitialised.allocate(1).is_error());
    EXPECT_TRUE(uninitialised.free(0x1000, 1).is_error());
}

TEST(PageAllocator, ConcurrentAllocateAndFree)
{
    Fixture f;
    ASSERT_FALSE(f.init(pc_map).is_error());
    uint64_t total = f.allocator.total_bytes();
    std::vector<std::atomic<int>> owner(64 * mib / page);
    std::atomic<bool> failed { false };
    std::vector<std::thread> threads;
    for (int id = 1; id <= 4; id++) {
        threads.emplace_back([&, id] {
            std::mt19937 random(id);
            std::vector<std::pair<uint64_t, size_t>> held;
            for (int i = 0; i < 4000; i++) {
                if (held.empty() || random() % 2) {
                    size_t pages = 1 + random() % 8;
                    auto result = f.allocator.allocate(pages);
                    if (result.is_error())
                        continue;
                    for (size_t p = 0; p < pages; p++) {
                        int expected = 0;
                        if (!owner[result.value() / page + p].compare_exchange_strong(expected, id))
                            failed = true;
                    }
                    held.push_back({ result.value(), pages });
                } else {
                    auto [address, pages] = held.back();
                    held.pop_back();
                    for (size_t p = 0; p < pages; p++)
                        owner[address / page + p] = 0;
                    if (f.allocator.free(address, pages).is_error())
                        failed = true;
                }
            }
            for (auto [address, pages] : held) {
                for (size_t p = 0; p < pages; p++)
                    owner[address / page + p] = 0;
                if (f.allocator.free(address, pages).is_error())
                    failed = true;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_FALSE(failed);
    EXPECT_EQ(f.allocator.free_bytes(), total);
}

// QEMU's pc machine with -m 8G: 3 GiB below the PCI hole, 5 GiB from 4 GiB up
// (the hole itself is absent from the map). Memory above 4 GiB is counted
// and handed out, and allocate_above never returns a page below its floor.
TEST(PageAllocator, MemoryAbove4GiBIsManaged)
{
    constexpr uint64_t gib = 1024 * mib;
    const std::vector<MemoryRegion> map = {
        { 0, 0x9fc00, MemoryType::Usable },
        { 0x9fc00, 0x400, MemoryType::Reserved },
        { 0xf0000, 0x10000, MemoryType::Reserved },
        { mib, 3 * gib - mib, MemoryType::Usable },
        { 0xfeffc000, 0x4000, MemoryType::Reserved },
        { 4 * gib, 5 * gib, MemoryType::Usable },
    };
    Fixture f;
    ASSERT_FALSE(f.init(map).is_error());
    EXPECT_EQ(f.allocator.highest_address(), 9 * gib);
    EXPECT_GT(f.allocator.total_bytes(), 8 * gib - 2 * mib);
    auto high = f.allocator.allocate_above(4 * gib, 512);
    ASSERT_FALSE(high.is_error()) << high.error().message();
    EXPECT_GE(high.value(), 4 * gib);
    EXPECT_LE(high.value() + 512 * page, 9 * gib);
    // Inside the hole: the next run starts at 4 GiB at the earliest.
    auto from_hole = f.allocator.allocate_above(3 * gib + mib, 1);
    ASSERT_FALSE(from_hole.is_error());
    EXPECT_GE(from_hole.value(), 4 * gib);
    EXPECT_EQ(f.allocator.allocate_above(9 * gib, 1).error().code(), ErrorCode::NoMemory);
    EXPECT_EQ(f.allocator.allocate_above(gib, 0).error().code(), ErrorCode::Invalid);
    ASSERT_FALSE(f.allocator.free(high.value(), 512).is_error());
    ASSERT_FALSE(f.allocator.free(from_hole.value(), 1).is_error());
}

// A firmware map with many holes (UEFI maps often have 100+ entries): 200
// usable 1 MiB runs separated by reserved 64 KiB gaps. Every free page lies
// in a usable run, never in a gap.
TEST(PageAllocator, MapWithManyHoles)
{
    std::vector<MemoryRegion> map;
    constexpr uint64_t stride = mib + 64 * 1024;
    for (uint64_t i = 0; i < 200; ++i) {
        map.push_back({ mib + i * stride, mib, MemoryType::Usable });
        map.push_back({ mib + i * stride + mib, 64 * 1024, MemoryType::Reserved });
    }
    Fixture f;
    ASSERT_FALSE(f.init(map).is_error());
    auto pages = f.drain();
    PhysRange bitmap = f.allocator.bitmap_range();
    EXPECT_EQ(pages.size() * page + (bitmap.length + page - 1) / page * page, 200 * mib);
    for (uint64_t p : pages) {
        uint64_t offset = (p - mib) % stride;
        EXPECT_LT(offset, mib) << std::hex << p << " lies in a reserved gap";
    }
}

// GRUB's module copies are reserved at init; once the boot volume has the
// files, their whole pages are handed over, once, and become allocatable.
TEST(PageAllocator, ReleaseReservedAddsWholePagesOnce)
{
    Fixture f;
    const PhysRange module { 8 * mib + 0x800, 4 * mib }; // not page aligned at either end
    ASSERT_FALSE(f.init(pc_map, { module }).is_error());
    uint64_t total = f.allocator.total_bytes(), free = f.allocator.free_bytes();
    auto released = f.allocator.release_reserved(module.base, module.length);
    ASSERT_FALSE(released.is_error()) << released.error().message();
    EXPECT_EQ(released.value(), 4 * mib / page - 1); // the partial first and last pages stay out
    EXPECT_EQ(f.allocator.total_bytes(), total + released.value() * page);
    EXPECT_EQ(f.allocator.free_bytes(), free + released.value() * page);
    auto again = f.allocator.release_reserved(module.base, module.length);
    ASSERT_TRUE(again.is_error());
    EXPECT_NE(std::string(again.error().message()).find("already managed"), std::string::npos);
    PhysRange bitmap = f.allocator.bitmap_range();
    EXPECT_TRUE(f.allocator.release_reserved(bitmap.base, bitmap.length).is_error());
    EXPECT_TRUE(f.allocator.release_reserved(127 * mib, 8 * mib).is_error()); // past the top
    // Every page, the released ones included, can now be allocated.
    auto pages = f.drain();
    size_t inside = 0;
    for (uint64_t p : pages)
        inside += p >= module.base && p + page <= module.base + module.length;
    EXPECT_EQ(inside, released.value());
}
