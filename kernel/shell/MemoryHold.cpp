#include "kernel/shell/MemoryHold.h"

#include "kernel/Kernel.h"
#include "kernel/drivers/Console.h"
#include "kernel/mm/Heap.h"
#include "kernel/mm/MemoryRequest.h"
#include "kernel/mm/PageAllocator.h"

#include <cstdlib>
#include <string>

namespace fluid {

namespace {

constexpr uint64_t page_size = 4096;

// Held runs are chained through their own first page (memory is identity
// mapped), so holding memory needs no memory.
struct HeldRun {
    HeldRun* next;
    uint64_t pages;
};

HeldRun* held;
uint64_t held_pages;

bool parse_bytes(std::string_view text, uint64_t& bytes)
{
    std::string s(text);
    char* end = nullptr;
    bytes = strtoull(s.c_str(), &end, 10);
    if (end == s.c_str())
        return false;
    std::string_view suffix(end);
    uint64_t scale = suffix == "" ? 1 : suffix == "K" ? 1ull << 10 : suffix == "M" ? 1ull << 20 : suffix == "G" ? 1ull << 30 : 0;
    bytes *= scale;
    return scale != 0;
}

// Takes runs of up to 2 MiB, then smaller ones, until `leave` bytes are free.
void hold_until(uint64_t leave)
{
    PageAllocator& pages = *kernel().pages;
    for (uint64_t run = 512; run >= 1; run /= 2) {
        while (pages.free_bytes() >= leave + run * page_size) {
            auto taken = pages.allocate(run);
            if (taken.is_error())
                break;
            auto* entry = reinterpret_cast<HeldRun*>(taken.value());
            *entry = { held, run };
            held = entry;
            held_pages += run;
        }
    }
}

void release_all()
{
    while (held) {
        HeldRun* entry = held;
        held = entry->next;
        (void)kernel().pages->free(reinterpret_cast<uint64_t>(entry), entry->pages);
    }
    held_pages = 0;
}

void print_state(const char* verb)
{
    kprintf("mem: %s; holding %lu KiB, %lu KiB free, reserve %zu KiB\n", verb, held_pages * page_size / 1024,
            kernel().pages->free_bytes() / 1024, MemoryRequest::reserve_bytes() / 1024);
}

} // namespace

void cmd_mem_hold(const CommandLine& args)
{
    if (args[1] == "release") {
        release_all();
        print_state("released");
        return;
    }
    uint64_t leave = 0;
    if (args.count() != 4 || args[2] != "--leave" || !parse_bytes(args[3], leave)) {
        kprintf("error: usage: mem hold --leave BYTES[K|M|G], or mem release\n");
        return;
    }
    // Cached heap pages would hide the shortage from small allocations.
    kernel().heap->trim();
    hold_until(leave);
    print_state("held");
}

} // namespace fluid
