// A byte stream in both directions: serial ports, consoles.
#pragma once

#include <cstddef>

namespace fluid {

class CharacterDevice {
public:
    virtual ~CharacterDevice() = default;
    virtual void write(const char* data, size_t length) = 0;
    // The next received byte, or -1 if none is waiting. Never blocks.
    virtual int read_byte() { return -1; }
    // True when received bytes arrive by interrupt, so a reader with
    // nothing to read may halt until the next interrupt instead of polling.
    virtual bool input_interrupt_driven() const { return false; }
    // True if read_byte() would return a byte now (interrupt-driven input).
    virtual bool input_pending() const { return false; }
};

} // namespace fluid
