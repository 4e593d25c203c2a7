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
};

} // namespace fluid
