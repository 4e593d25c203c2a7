// The serial shell: reads lines through a LineEditor, splits them with
// CommandLine, and runs the matching command from the table in
// Commands.cpp. It never trusts its input: bad lines get an error line
// starting with "error:" and the prompt comes back.
#pragma once

#include "kernel/shell/CommandLine.h"

#include <string_view>

namespace fluid {

class Console;

struct ShellCommand {
    const char* name;
    const char* usage;
    const char* summary;
    void (*run)(const CommandLine&);
};

// The built-in command table (Commands.cpp), terminated by a null name.
const ShellCommand* shell_commands();

class Shell {
public:
    explicit Shell(Console& console) : m_console(console) { }
    [[noreturn]] void run();
    void execute(std::string_view line);

private:
    void run_command(const ShellCommand&, const CommandLine&);
    void wait_for_input();
    Console& m_console;
};

} // namespace fluid
