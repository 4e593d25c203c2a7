#include "kernel/drivers/Console.h"

#include <cstdio>
#include <cstring>

namespace fluid {

Console& console()
{
    static Console instance;
    return instance;
}

void Console::add_output(CharacterDevice* device)
{
    LockGuard guard(m_lock);
    if (m_output_count < max_outputs)
        m_outputs[m_output_count++] = device;
}

void Console::write_unlocked(const char* data, size_t length)
{
    for (size_t i = 0; i < m_output_count; ++i)
        m_outputs[i]->write(data, length);
}

void Console::write(const char* data, size_t length)
{
    if (m_panic_mode) {
        write_unlocked(data, length);
        return;
    }
    LockGuard guard(m_lock);
    write_unlocked(data, length);
}

void Console::write(const char* text) { write(text, strlen(text)); }

void Console::write_raw(const char* text) { write_unlocked(text, strlen(text)); }

void kvprintf(const char* fmt, va_list args)
{
    char buffer[512];
    int length = vsnprintf(buffer, sizeof(buffer), fmt, args);
    if (length < 0)
        return;
    size_t n = size_t(length) < sizeof(buffer) ? size_t(length) : sizeof(buffer) - 1;
    console().write(buffer, n);
}

void kprintf(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kvprintf(fmt, args);
    va_end(args);
}

} // namespace fluid
