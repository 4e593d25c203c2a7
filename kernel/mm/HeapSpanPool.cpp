#include "kernel/mm/HeapSpanPool.h"

#include <new>

namespace fluid {

bool HeapSpanPool::grow()
{
    auto memory = m_source.allocate_pages(chunk_pages);
    if (memory.is_error())
        return false;
    // Value-initialise: every descriptor starts Unused.
    auto* chunk = new (memory.value()) Chunk {};
    chunk->next = m_chunks;
    m_chunks = chunk;
    m_pages_held += chunk_pages;
    for (size_t i = spans_per_chunk; i-- > 0;) {
        chunk->spans[i].next = m_free;
        m_free = &chunk->spans[i];
    }
    return true;
}

HeapSpan* HeapSpanPool::take()
{
    if (!m_free && !grow())
        return nullptr;
    HeapSpan* span = m_free;
    m_free = span->next;
    new (span) HeapSpan {};
    return span;
}

void HeapSpanPool::give_back(HeapSpan* span)
{
    span->kind = HeapSpan::Kind::Unused;
    span->next = m_free;
    m_free = span;
}

HeapSpanPool::~HeapSpanPool()
{
    while (m_chunks) {
        Chunk* next = m_chunks->next;
        m_source.free_pages(m_chunks, chunk_pages);
        m_chunks = next;
    }
}

} // namespace fluid
