// Storage for HeapSpan descriptors, carved out of 64 KiB chunks from the
// PageSource. Descriptors are recycled through a free list; chunks are
// kept until the pool is destroyed (a descriptor is ~1% of the span it
// describes, so holding on to them costs little).
#pragma once

#include "kernel/mm/HeapSpan.h"
#include "kernel/mm/PageSource.h"

#include <cstddef>

namespace fluid {

class HeapSpanPool {
public:
    explicit HeapSpanPool(PageSource& source) : m_source(source) { }
    ~HeapSpanPool();
    HeapSpanPool(const HeapSpanPool&) = delete;
    HeapSpanPool& operator=(const HeapSpanPool&) = delete;

    // A reset descriptor, or nullptr if the PageSource is exhausted.
    HeapSpan* take();
    void give_back(HeapSpan*);

    // Calls `callback(HeapSpan&)` for every descriptor currently taken.
    template<typename Callback>
    void for_each_taken(Callback callback)
    {
        for (Chunk* chunk = m_chunks; chunk; chunk = chunk->next) {
            for (size_t i = 0; i < spans_per_chunk; i++) {
                if (chunk->spans[i].kind != HeapSpan::Kind::Unused)
                    callback(chunk->spans[i]);
            }
        }
    }

    size_t pages_held() const { return m_pages_held; }

private:
    static constexpr size_t chunk_pages = 16;
    static constexpr size_t spans_per_chunk = (chunk_pages * 4096 - 64) / sizeof(HeapSpan);
    struct Chunk {
        Chunk* next;
        alignas(64) HeapSpan spans[spans_per_chunk];
    };
    static_assert(sizeof(Chunk) <= chunk_pages * 4096);

    bool grow();

    PageSource& m_source;
    Chunk* m_chunks { nullptr };
    HeapSpan* m_free { nullptr };
    size_t m_pages_held { 0 };
};

} // namespace fluid
