#include "kernel/drivers/Uart16550.h"

namespace fluid {

// Register offsets [PC16550D §8.1]. DLL/DLM overlay THR/IER when LCR.DLAB=1.
enum Register : uint16_t {
    Data = 0,
    InterruptEnable = 1,
    FifoControl = 2,
    LineControl = 3,
    ModemControl = 4,
    LineStatus = 5,
};
static constexpr uint8_t lsr_data_ready = 0x01;
static constexpr uint8_t lsr_transmit_empty = 0x20;

bool Uart16550::init()
{
    m_io.write8(m_base + InterruptEnable, 0x00);
    m_io.write8(m_base + LineControl, 0x80);  // DLAB on
    m_io.write8(m_base + Data, 0x01);         // divisor 1 = 115200 baud
    m_io.write8(m_base + InterruptEnable, 0x00);
    m_io.write8(m_base + LineControl, 0x03);  // 8N1, DLAB off
    m_io.write8(m_base + FifoControl, 0xc7);  // enable + clear FIFOs, 14-byte threshold
    // Loopback self-test: a byte written must come back.
    m_io.write8(m_base + ModemControl, 0x1e);
    m_io.write8(m_base + Data, 0xae);
    m_present = m_io.read8(m_base + Data) == 0xae;
    // Normal operation: DTR, RTS, OUT2 (OUT2 gates the IRQ line on PCs).
    m_io.write8(m_base + ModemControl, 0x0b);
    return m_present;
}

void Uart16550::put(uint8_t byte)
{
    // Bounded wait: a wedged UART must not hang the kernel's console.
    for (int spins = 0; spins < 1000000; ++spins) {
        if (m_io.read8(m_base + LineStatus) & lsr_transmit_empty)
            break;
    }
    m_io.write8(m_base + Data, byte);
}

void Uart16550::write(const char* data, size_t length)
{
    if (!m_present)
        return;
    for (size_t i = 0; i < length; ++i) {
        if (data[i] == '\n')
            put('\r');
        put(uint8_t(data[i]));
    }
}

int Uart16550::read_byte()
{
    if (!m_present)
        return -1;
    if (m_interrupt_driven) {
        uint32_t tail = m_tail.load(std::memory_order_relaxed);
        if (tail == m_head.load(std::memory_order_acquire))
            return -1;
        uint8_t byte = m_ring[tail % ring_size];
        m_tail.store(tail + 1, std::memory_order_release);
        return byte;
    }
    if (!(m_io.read8(m_base + LineStatus) & lsr_data_ready))
        return -1;
    return m_io.read8(m_base + Data);
}

void Uart16550::enable_receive_interrupt()
{
    if (!m_present)
        return;
    m_interrupt_driven = true;
    m_io.write8(m_base + InterruptEnable, 0x01);
    on_interrupt(); // whatever arrived before now
}

void Uart16550::on_interrupt()
{
    // Reading every waiting byte also clears the interrupt [PC16550D §8.6.3].
    for (int limit = 0; limit < 64 && (m_io.read8(m_base + LineStatus) & lsr_data_ready); ++limit) {
        uint8_t byte = m_io.read8(m_base + Data);
        uint32_t head = m_head.load(std::memory_order_relaxed);
        if (head - m_tail.load(std::memory_order_acquire) == ring_size) {
            ++m_overruns;
            continue;
        }
        m_ring[head % ring_size] = byte;
        m_head.store(head + 1, std::memory_order_release);
    }
}

} // namespace fluid
