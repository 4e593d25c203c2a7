// A one-line progress bar for long transfers on the console:
//   [##########..........]  52%   31.5 of 60.0 MiB   12.3 MiB/s
// redrawn in place with a carriage return at most every 250 ms, so a slow
// serial line is not flooded.
#pragma once

#include <cstdint>

namespace fluid {

class ProgressBar {
public:
    ProgressBar(uint64_t total_bytes, uint64_t start_ns) : m_total(total_bytes), m_start(start_ns) { }
    void update(uint64_t done_bytes, uint64_t now_ns);
    // Draws 100% and ends the line.
    void finish(uint64_t now_ns);

private:
    void draw(uint64_t done_bytes, uint64_t now_ns);

    uint64_t m_total;
    uint64_t m_start;
    uint64_t m_last_draw { 0 };
};

} // namespace fluid
