// `generate`, `chat` and `models`: Llama inference at the prompt, on a
// GGUF model from /models on the boot volume (kernel/llm/LoadedModel),
// fanned out over every CPU through the SMP executor.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_generate(const CommandLine&);
void cmd_chat(const CommandLine&);
void cmd_models(const CommandLine&);

} // namespace fluid
