// fluid-host: Fluid's portable code as a Linux program, for running modules
// and measuring the JIT on the host (where timings mean something; under
// QEMU's TCG they do not, see the design brief).
#include "host/fluid-host/BenchCommand.h"
#include "host/fluid-host/GenerateCommand.h"
#include "host/fluid-host/JitCommand.h"

#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    if (argc >= 2 && strcmp(argv[1], "jit") == 0)
        return fluid::host::jit_command(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "generate") == 0)
        return fluid::host::generate_command(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "chat") == 0)
        return fluid::host::chat_command(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "bench") == 0)
        return fluid::host::bench_command(argc - 2, argv + 2);
    fprintf(stderr, "usage: fluid-host jit run [--opt N] [--repeat N] FILE.bc FUNCTION [ARGS...]\n"
                    "       fluid-host jit info\n"
                    "       fluid-host generate MODEL.gguf \"PROMPT\" [--tokens N] [--threads T] ...\n"
                    "       fluid-host chat MODEL.gguf \"MESSAGE\" [generate's options]\n"
                    "       fluid-host bench [names...] [--iterations N] [--n N] [--json] [--modules DIR]\n");
    return 2;
}
