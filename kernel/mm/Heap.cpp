#include "kernel/mm/Heap.h"

#include <cstring>

namespace fluid {

namespace {

// Refuse sizes whose page arithmetic could overflow; nothing this large
// can be backed anyway (x86-64 physical addresses are at most 52 bits).
constexpr size_t max_request = size_t(1) << 46;

uintptr_t align_up(uintptr_t value, size_t alignment) { return (value + alignment - 1) & ~(uintptr_t(alignment) - 1); }

} // namespace

Heap::Heap(PageSource& source) : m_source(source), m_page_map(source), m_span_pool(source) { }

Heap::~Heap()
{
    m_span_pool.for_each_taken([this](HeapSpan& span) {
        m_source.free_pages(reinterpret_cast<void*>(span.base), span.page_count);
    });
}

void* Heap::allocate(size_t size, size_t alignment)
{
    if (alignment < size_class::granule)
        alignment = size_class::granule;
    if ((alignment & (alignment - 1)) != 0 || size > max_request || alignment > max_request)
        return nullptr;
    if (size == 0)
        size = 1;
    const char* problem = nullptr;
    void* result = nullptr;
    {
        LockGuard guard(m_lock);
        size_t index = size_class::count;
        if (size <= size_class::max_size && alignment <= size_class::max_size)
            index = size_class::index_for(size, alignment);
        result = index < size_class::count ? allocate_small(index, problem) : allocate_large(size, alignment);
    }
    if (problem)
        report_invalid(result, problem);
    return result;
}

void* Heap::allocate_small(size_t class_index, const char*& problem)
{
    for (;;) {
        HeapSpan* span = m_partial[class_index];
        if (!span) {
            span = create_span(class_index);
            if (!span)
                return nullptr;
            link_partial(*span);
        }
        void* object = pop_object(*span, problem);
        if (!object) {
            // Only after a corrupted free list was dropped: the span has
            // nothing left to give until some of its objects are freed.
            unlink_partial(*span);
            continue;
        }
        if (span->in_use == span->capacity)
            unlink_partial(*span);
        note_allocated(span->object_size);
        return object;
    }
}

bool Heap::is_free_object(const HeapSpan& span, uintptr_t address)
{
    if (!span.contains(address))
        return false;
    size_t offset = address - span.base;
    size_t index = offset / span.object_size;
    return offset % span.object_size == 0 && index < span.fresh && !span.is_allocated(index);
}

void* Heap::pop_object(HeapSpan& span, const char*& problem)
{
    size_t index;
    if (span.free_list) {
        auto address = reinterpret_cast<uintptr_t>(span.free_list);
        void* next;
        memcpy(&next, span.free_list, sizeof(next));
        // The link lives in freed user memory: a write after free could have
        // changed it. Check it names a free object of this span before use.
        if (next && !is_free_object(span, reinterpret_cast<uintptr_t>(next))) {
            problem = "heap free list corrupted (write after free?); dropped the span's free list";
            next = nullptr;
        }
        span.free_list = next;
        index = (address - span.base) / span.object_size;
    } else if (span.fresh < span.capacity) {
        index = span.fresh++;
    } else {
        return nullptr;
    }
    span.set_allocated(index, true);
    span.in_use++;
    return reinterpret_cast<void*>(span.base + index * span.object_size);
}

HeapSpan* Heap::create_span(size_t class_index)
{
    HeapSpan* span = m_span_pool.take();
    if (!span)
        return nullptr;
    auto memory = m_source.allocate_pages(HeapSpan::pages);
    auto base = memory.is_error() ? 0 : reinterpret_cast<uintptr_t>(memory.value());
    // Natural alignment of objects relies on a page-aligned span.
    if (base % page_size != 0) {
        m_source.free_pages(memory.value(), HeapSpan::pages);
        base = 0;
    }
    if (base == 0) {
        m_span_pool.give_back(span);
        return nullptr;
    }
    span->kind = HeapSpan::Kind::Small;
    span->size_class = uint8_t(class_index);
    span->object_size = size_class::sizes[class_index];
    span->capacity = uint32_t(HeapSpan::bytes / span->object_size);
    span->base = base;
    span->page_count = HeapSpan::pages;
    for (size_t page = 0; page < HeapSpan::pages; page++) {
        if (!m_page_map.set(base + page * page_size, span)) {
            for (size_t undo = 0; undo < page; undo++)
                m_page_map.clear(base + undo * page_size);
            m_source.free_pages(memory.value(), HeapSpan::pages);
            m_span_pool.give_back(span);
            return nullptr;
        }
    }
    m_span_pages += HeapSpan::pages;
    return span;
}

void Heap::release_span(HeapSpan& span)
{
    for (size_t page = 0; page < span.page_count; page++)
        m_page_map.clear(span.base + page * page_size);
    m_source.free_pages(reinterpret_cast<void*>(span.base), span.page_count);
    m_span_pages -= span.page_count;
    m_span_pool.give_back(&span);
}

void* Heap::allocate_large(size_t size, size_t alignment)
{
    // Pages come page-aligned, so a bigger alignment costs at most
    // alignment - page_size bytes of padding in front.
    size_t padding = alignment > page_size ? alignment - page_size : 0;
    size_t pages = (size + padding + page_size - 1) / page_size;
    HeapSpan* span = m_span_pool.take();
    if (!span)
        return nullptr;
    auto memory = m_source.allocate_pages(pages);
    if (memory.is_error()) {
        m_span_pool.give_back(span);
        return nullptr;
    }
    span->kind = HeapSpan::Kind::Large;
    span->base = reinterpret_cast<uintptr_t>(memory.value());
    span->page_count = pages;
    span->user_address = align_up(span->base, alignment);
    if (!m_page_map.set(span->user_address, span)) {
        m_source.free_pages(memory.value(), pages);
        m_span_pool.give_back(span);
        return nullptr;
    }
    m_span_pages += pages;
    note_allocated(usable_size_locked(*span, span->user_address));
    return reinterpret_cast<void*>(span->user_address);
}

void Heap::free(void* pointer)
{
    if (!pointer)
        return;
    const char* problem = nullptr;
    {
        LockGuard guard(m_lock);
        auto address = reinterpret_cast<uintptr_t>(pointer);
        HeapSpan* span = find_owner(address, problem);
        if (span && span->kind == HeapSpan::Kind::Small)
            problem = free_small(*span, address);
        else if (span)
            free_large(*span);
    }
    if (problem)
        report_invalid(pointer, problem);
}

const char* Heap::free_small(HeapSpan& span, uintptr_t address)
{
    size_t offset = address - span.base;
    size_t index = offset / span.object_size;
    if (offset % span.object_size != 0)
        return "free of a pointer into the middle of a small object";
    if (index >= span.fresh || !span.is_allocated(index))
        return "double free of a small object";
    span.set_allocated(index, false);
    memcpy(reinterpret_cast<void*>(address), &span.free_list, sizeof(void*));
    span.free_list = reinterpret_cast<void*>(address);
    span.in_use--;
    m_stats.bytes_in_use -= span.object_size;
    m_stats.free_count++;
    if (!is_linked(span))
        link_partial(span);
    // Keep a lone empty span so alloc/free ping-pong does not hit the PageSource.
    bool only_span = m_partial[span.size_class] == &span && !span.next;
    if (span.in_use == 0 && !only_span) {
        unlink_partial(span);
        release_span(span);
    }
    return nullptr;
}

void Heap::free_large(HeapSpan& span)
{
    m_stats.bytes_in_use -= usable_size_locked(span, span.user_address);
    m_stats.free_count++;
    m_page_map.clear(span.user_address);
    m_source.free_pages(reinterpret_cast<void*>(span.base), span.page_count);
    m_span_pages -= span.page_count;
    m_span_pool.give_back(&span);
}

HeapSpan* Heap::find_owner(uintptr_t address, const char*& reason) const
{
    HeapSpan* span = m_page_map.get(address);
    if (!span) {
        reason = "pointer is not a live allocation of this heap";
        return nullptr;
    }
    if (span->kind == HeapSpan::Kind::Large && address != span->user_address) {
        reason = "pointer is inside a large allocation, not at its start";
        return nullptr;
    }
    return span;
}

size_t Heap::usable_size_locked(const HeapSpan& span, uintptr_t address) const
{
    if (span.kind == HeapSpan::Kind::Large)
        return span.base + span.page_count * page_size - address;
    size_t offset = address - span.base;
    size_t index = offset / span.object_size;
    if (offset % span.object_size != 0 || index >= span.fresh || !span.is_allocated(index))
        return 0;
    return span.object_size;
}

size_t Heap::usable_size(const void* pointer) const
{
    if (!pointer)
        return 0;
    LockGuard guard(m_lock);
    const char* reason = nullptr;
    auto address = reinterpret_cast<uintptr_t>(pointer);
    HeapSpan* span = find_owner(address, reason);
    return span ? usable_size_locked(*span, address) : 0;
}

void* Heap::reallocate(void* pointer, size_t new_size)
{
    if (!pointer)
        return allocate(new_size);
    if (new_size == 0) {
        free(pointer);
        return nullptr;
    }
    size_t old_size = usable_size(pointer);
    if (old_size == 0) {
        report_invalid(pointer, "reallocate of a pointer that is not a live allocation");
        return nullptr;
    }
    // Stay in place unless that would waste more than half the block.
    if (new_size <= old_size && new_size >= old_size / 2)
        return pointer;
    void* moved = allocate(new_size);
    if (!moved)
        return nullptr;
    memcpy(moved, pointer, old_size < new_size ? old_size : new_size);
    free(pointer);
    return moved;
}

void Heap::trim()
{
    LockGuard guard(m_lock);
    for (size_t index = 0; index < size_class::count; index++) {
        HeapSpan* span = m_partial[index];
        while (span) {
            HeapSpan* next = span->next;
            if (span->in_use == 0) {
                unlink_partial(*span);
                release_span(*span);
            }
            span = next;
        }
    }
}

bool Heap::is_linked(const HeapSpan& span) const { return m_partial[span.size_class] == &span || span.prev; }

void Heap::link_partial(HeapSpan& span)
{
    HeapSpan*& head = m_partial[span.size_class];
    span.prev = nullptr;
    span.next = head;
    if (head)
        head->prev = &span;
    head = &span;
}

void Heap::unlink_partial(HeapSpan& span)
{
    if (span.prev)
        span.prev->next = span.next;
    else if (m_partial[span.size_class] == &span)
        m_partial[span.size_class] = span.next;
    if (span.next)
        span.next->prev = span.prev;
    span.prev = span.next = nullptr;
}

void Heap::note_allocated(size_t bytes)
{
    m_stats.bytes_in_use += bytes;
    if (m_stats.bytes_in_use > m_stats.peak_bytes_in_use)
        m_stats.peak_bytes_in_use = m_stats.bytes_in_use;
    m_stats.allocation_count++;
}

Heap::Stats Heap::stats() const
{
    LockGuard guard(m_lock);
    Stats stats = m_stats;
    stats.pages_held = m_span_pages + m_page_map.pages_held() + m_span_pool.pages_held();
    stats.page_map_pages = m_page_map.pages_held();
    return stats;
}

void Heap::report_invalid(const void* pointer, const char* reason)
{
    InvalidFreeHandler handler;
    {
        LockGuard guard(m_lock);
        m_invalid_frees++;
        handler = m_invalid_free_handler;
    }
    if (handler)
        handler(pointer, reason);
}

void Heap::set_invalid_free_handler(InvalidFreeHandler handler)
{
    LockGuard guard(m_lock);
    m_invalid_free_handler = handler;
}

size_t Heap::invalid_free_count() const
{
    LockGuard guard(m_lock);
    return m_invalid_frees;
}

} // namespace fluid
