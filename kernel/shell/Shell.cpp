#include "kernel/shell/Shell.h"

#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/mm/MemoryRequest.h"
#include "kernel/shell/LineEditor.h"

#include <arch/cpu.h>
#include <arch/relax.h>

namespace fluid {

static constexpr const char* prompt = "fluid> ";

// Each command is a memory request (kernel/mm/MemoryRequest.h): the parts
// that can give up cleanly (a module load, a model load) fail themselves
// when the machine runs short; whatever else ate into the reserve is said
// here, so a user knows why memory is low and the result may be partial.
void Shell::run_command(const ShellCommand& command, const CommandLine& args)
{
    MemoryRequest request(command.name);
    command.run(args);
    if (request.overdrawn())
        kprintf("warning: %s: %s; the kernel's reserve covered it\n", command.name, request.message());
    request.clear();
}

void Shell::execute(std::string_view line)
{
    auto parsed = CommandLine::parse(line);
    if (parsed.is_error()) {
        kprintf("error: %s\n", parsed.error().message());
        return;
    }
    const CommandLine& args = parsed.value();
    if (args.count() == 0)
        return;
    for (const ShellCommand* c = shell_commands(); c->name; ++c) {
        if (args[0] == c->name) {
            run_command(*c, args);
            return;
        }
    }
    kprintf("error: unknown command '%.*s' (try 'help')\n", int(args[0].size()), args[0].data());
}

void Shell::wait_for_input()
{
    if (!m_console.input_interrupt_driven()) {
        arch::relax();
        return;
    }
    // Halt until the next interrupt (a received byte, or the timer tick).
    // Interrupts go off for the check so a byte arriving between the
    // check and HLT still wakes us: STI takes effect after HLT starts.
    arch::disable_interrupts();
    if (!m_console.input_pending())
        arch::wait_for_interrupt();
    arch::enable_interrupts();
}

void Shell::run()
{
    // Echo goes to every console, so the screen shows what is typed too.
    struct EchoToConsole final : CharacterDevice {
        void write(const char* data, size_t length) override { console().write(data, length); }
    } echo;
    LineEditor editor(&echo);
    m_console.write(prompt);
    for (;;) {
        int byte = m_console.read_byte();
        if (byte < 0) {
            wait_for_input();
            continue;
        }
        if (!editor.feed(uint8_t(byte)))
            continue;
        const LineEditor::Submitted& input = editor.submitted();
        if (input.too_long)
            kprintf("error: line too long (max %zu characters); ignored\n", LineEditor::max_length);
        else if (input.dropped_bytes)
            kprintf("error: line contained %zu non-text byte(s); ignored\n", input.dropped_bytes);
        else if (!input.cancelled)
            execute(input.line);
        // Between commands no module code runs here: a quiescent point for
        // the JIT, and on one CPU the time to compile what got hot.
        if (KernelJit* jit = KernelJit::get())
            jit->compile_pending();
        m_console.write(prompt);
    }
}

} // namespace fluid
