#include "kernel/mm/MemoryRequest.h"

#include <atomic>
#include <cstdio>

namespace fluid {

static thread_local MemoryRequest* innermost;
static std::atomic<size_t> reserve { 0 };

MemoryRequest::MemoryRequest(const char* what)
    : m_what(what)
    , m_outer(innermost)
{
    innermost = this;
}

MemoryRequest::~MemoryRequest()
{
    innermost = m_outer;
    if (overdrawn() && m_outer && !m_outer->overdrawn()) {
        m_outer->m_overdraft_bytes = m_overdraft_bytes;
        snprintf(m_outer->m_message, sizeof m_outer->m_message, "%s", m_message);
    }
}

MemoryRequest* MemoryRequest::current() { return innermost; }

void MemoryRequest::clear()
{
    m_overdraft_bytes = 0;
    m_message[0] = '\0';
}

void MemoryRequest::overdraw(size_t bytes, size_t free_bytes)
{
    if (overdrawn())
        return; // the first allocation that crossed the line is the one to report
    m_overdraft_bytes = bytes;
    snprintf(m_message, sizeof m_message,
             "out of memory: an allocation of %zu bytes found %zu bytes free, less than the %zu-byte reserve",
             bytes, free_bytes, reserve_bytes());
}

void MemoryRequest::note_allocation(size_t bytes, size_t free_bytes)
{
    MemoryRequest* request = innermost;
    if (request && free_bytes < bytes + reserve_bytes())
        request->overdraw(bytes, free_bytes);
}

size_t MemoryRequest::reserve_bytes() { return reserve.load(std::memory_order_relaxed); }

void MemoryRequest::set_reserve_bytes(size_t bytes) { reserve.store(bytes, std::memory_order_relaxed); }

size_t MemoryRequest::available_bytes(size_t free_bytes)
{
    size_t kept = reserve_bytes();
    return free_bytes > kept ? free_bytes - kept : 0;
}

} // namespace fluid
