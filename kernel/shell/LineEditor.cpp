#include "kernel/shell/LineEditor.h"

#include <cstring>

namespace fluid {

void LineEditor::echo(const char* text, size_t length)
{
    if (m_echo)
        m_echo->write(text, length);
}

bool LineEditor::finish(bool cancelled)
{
    memcpy(m_result, m_buffer, m_length);
    m_result[m_length] = 0;
    m_submitted = { std::string_view(m_result, m_length), m_dropped, m_too_long, cancelled };
    m_length = 0;
    m_dropped = 0;
    m_too_long = false;
    echo(cancelled ? "^C\n" : "\n", cancelled ? 3 : 1);
    return true;
}

bool LineEditor::feed(uint8_t byte)
{
    bool was_cr = m_last_was_cr;
    m_last_was_cr = false;
    switch (m_state) {
    case State::Escape:
        if (byte == '[') {
            m_state = State::ControlSequence;
            return false;
        }
        // A lone ESC is noise; the byte after it is judged on its own.
        m_state = State::Text;
        ++m_dropped;
        break;
    case State::ControlSequence:
        // Parameters and intermediates are 0x20-0x3f; a final byte 0x40-0x7e
        // ends the sequence [ECMA-48 §5.4]. Anything else aborts it.
        if (byte >= 0x20 && byte <= 0x3f)
            return false;
        m_state = State::Text;
        if (byte >= 0x40 && byte <= 0x7e)
            return false;
        ++m_dropped;
        break;
    case State::Text:
        break;
    }
    if (byte == '\n' && was_cr)
        return false; // the LF of a CRLF
    if (byte == '\r') {
        m_last_was_cr = true;
        return finish(false);
    }
    return feed_text(byte);
}

bool LineEditor::feed_text(uint8_t byte)
{
    switch (byte) {
    case '\n':
        return finish(false);
    case 0x03: // Ctrl-C
        return finish(true);
    case 0x1b:
        m_state = State::Escape;
        return false;
    case 0x08:
    case 0x7f:
        if (m_length > 0) {
            --m_length;
            echo("\b \b", 3);
        }
        return false;
    case '\t':
        byte = ' ';
        break;
    default:
        break;
    }
    if (byte < 0x20 || byte > 0x7e) {
        ++m_dropped;
        return false;
    }
    if (m_length == max_length) {
        m_too_long = true;
        return false;
    }
    m_buffer[m_length++] = char(byte);
    char c = char(byte);
    echo(&c, 1);
    return false;
}

} // namespace fluid
