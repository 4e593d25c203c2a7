#include "kernel/shell/ProgressBar.h"

#include "kernel/drivers/Console.h"

namespace fluid {

static constexpr uint64_t redraw_interval_ns = 250'000'000;
static constexpr int width = 20;

void ProgressBar::draw(uint64_t done, uint64_t now)
{
    uint64_t percent = m_total ? done * 100 / m_total : 100;
    char bar[width + 1];
    for (int i = 0; i < width; ++i)
        bar[i] = uint64_t(i) < percent * width / 100 ? '#' : '.';
    bar[width] = 0;
    uint64_t elapsed = now - m_start;
    // MiB/s with one decimal, in integers: bytes * 10 * 1e9 / ns / MiB.
    uint64_t tenths = elapsed ? uint64_t((unsigned __int128)done * 10 * 1'000'000'000 / elapsed / (1 << 20)) : 0;
    kprintf("\r[%s] %3lu%%  %6.1f of %.1f MiB  %lu.%lu MiB/s ", bar, percent, double(done) / (1 << 20),
            double(m_total) / (1 << 20), tenths / 10, tenths % 10);
    m_last_draw = now;
}

void ProgressBar::update(uint64_t done, uint64_t now)
{
    if (now - m_last_draw >= redraw_interval_ns)
        draw(done, now);
}

void ProgressBar::finish(uint64_t now)
{
    draw(m_total, now);
    kprintf("\n");
}

} // namespace fluid
