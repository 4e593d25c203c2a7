// The kernel console: output fans out to every attached device (serial
// first, then the screen); input comes from the serial port.
#pragma once

#include "kernel/drivers/CharacterDevice.h"
#include "kernel/lib/Spinlock.h"

#include <cstdarg>
#include <cstddef>

namespace fluid {

class Console {
public:
    static constexpr size_t max_outputs = 4;

    void add_output(CharacterDevice* device);
    void set_input(CharacterDevice* device) { m_input = device; }

    void write(const char* data, size_t length);
    void write(const char* text);
    // Bypasses the lock; for the panic path only.
    void write_raw(const char* text);
    int read_byte() { return m_input ? m_input->read_byte() : -1; }
    bool input_interrupt_driven() const { return m_input && m_input->input_interrupt_driven(); }
    bool input_pending() const { return m_input && m_input->input_pending(); }

    // After a panic starts, writes no longer take the lock: the CPU that
    // panicked may have held it.
    void enter_panic_mode() { m_panic_mode = true; }

private:
    void write_unlocked(const char* data, size_t length);

    CharacterDevice* m_outputs[max_outputs] {};
    size_t m_output_count { 0 };
    CharacterDevice* m_input { nullptr };
    Spinlock m_lock { "console", LockRank::Console };
    bool m_panic_mode { false };
};

Console& console();

[[gnu::format(printf, 1, 2)]] void kprintf(const char* fmt, ...);
void kvprintf(const char* fmt, va_list args);

} // namespace fluid
