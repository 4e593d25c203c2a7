// Turns the raw byte stream from a serial line into command lines.
//
// It is deliberately strict about what it accepts, because serial lines
// carry noise: printable ASCII goes into the line (at most max_length
// characters), backspace/DEL edit, CR, LF or CRLF end a line, ANSI escape
// sequences (arrow keys) are swallowed, Ctrl-C cancels the line, and any
// other byte is dropped and counted so the shell can say so.
#pragma once

#include "kernel/drivers/CharacterDevice.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fluid {

class LineEditor {
public:
    static constexpr size_t max_length = 255;

    struct Submitted {
        std::string_view line; // valid until the next feed()
        size_t dropped_bytes;  // non-text bytes that were discarded
        bool too_long;         // the line exceeded max_length
        bool cancelled;        // Ctrl-C
    };

    explicit LineEditor(CharacterDevice* echo) : m_echo(echo) { }

    // Feeds one received byte. Returns true when a line is complete; it is
    // then available from submitted().
    bool feed(uint8_t byte);
    const Submitted& submitted() const { return m_submitted; }

private:
    enum class State { Text, Escape, ControlSequence };
    bool finish(bool cancelled);
    void echo(const char* text, size_t length);
    bool feed_text(uint8_t byte);

    CharacterDevice* m_echo;
    char m_buffer[max_length + 1] {};
    char m_result[max_length + 1] {};
    size_t m_length { 0 };
    size_t m_dropped { 0 };
    bool m_too_long { false };
    bool m_last_was_cr { false };
    State m_state { State::Text };
    Submitted m_submitted {};
};

} // namespace fluid
