// `fluid-host generate MODEL.gguf "prompt" --tokens N ...`: the llm/ engine
// on Linux, for tests against llama.cpp and for speed comparisons.
#pragma once

namespace fluid::host {

int generate_command(int argc, char** argv);
// `fluid-host chat MODEL.gguf "message" ...`: the message through the
// model's chat template (llm/ChatTemplate), then as generate.
int chat_command(int argc, char** argv);

} // namespace fluid::host
