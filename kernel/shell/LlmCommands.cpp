#include "kernel/shell/LlmCommands.h"

#include "kernel/Kernel.h"
#include "kernel/boot/BootInfo.h"
#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/llm/JitLlmKernels.h"
#include "kernel/llm/LoadedModel.h"
#include "kernel/smp/SmpExecutor.h"
#include "kernel/storage/Storage.h"
#include "llm/Generator.h"
#include "llm/SpmTokenizer.h"

#include <arch/clock.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <strings.h>
#include <vector>

namespace fluid {

using namespace fluid::llm;

namespace {

struct GenerateOptions {
    std::string_view prompt;
    std::string model;
    uint32_t tokens { 32 };
    uint32_t context { 0 };
    SamplerOptions sampler;
    bool ids { false };
    bool json { false };
    bool jit { false }; // JIT-compiled kernels (/modules/llm/, docs/LLM.md)
};

// The model the last command loaded; kept until a command names another.
std::unique_ptr<LoadedModel> g_loaded;

bool parse_number(std::string_view text, double& out)
{
    std::string copy(text);
    char* end = nullptr;
    out = strtod(copy.c_str(), &end);
    return !copy.empty() && end && *end == '\0' && out >= 0;
}

bool parse_options(const CommandLine& args, GenerateOptions& o)
{
    bool have_prompt = false;
    for (size_t i = 1; i < args.count(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--ids") { o.ids = true; continue; }
        if (arg == "--json") { o.json = true; continue; }
        if (arg == "--jit") { o.jit = true; continue; }
        if (!arg.starts_with("--")) {
            if (have_prompt) {
                kprintf("error: %s: one prompt only (quote it: \"...\")\n", std::string(args[0]).c_str());
                return false;
            }
            o.prompt = arg, have_prompt = true;
            continue;
        }
        if (i + 1 >= args.count()) {
            kprintf("error: %.*s needs a value\n", int(arg.size()), arg.data());
            return false;
        }
        std::string_view value = args[++i];
        if (arg == "--model") { o.model = std::string(value); continue; }
        double number = 0;
        if (!parse_number(value, number)) {
            kprintf("error: %.*s: '%.*s' is not a number\n", int(arg.size()), arg.data(), int(value.size()), value.data());
            return false;
        }
        if (arg == "--tokens") o.tokens = uint32_t(number);
        else if (arg == "--ctx") o.context = uint32_t(number);
        else if (arg == "--temp") o.sampler.temperature = float(number);
        else if (arg == "--top-k") o.sampler.top_k = uint32_t(number);
        else if (arg == "--top-p") o.sampler.top_p = float(number);
        else if (arg == "--seed") o.sampler.seed = uint64_t(number);
        else {
            kprintf("error: unknown option %.*s\n", int(arg.size()), arg.data());
            return false;
        }
    }
    if (!have_prompt) {
        kprintf("usage: %s \"TEXT\" [--tokens N] [--model /models/NAME.gguf] [--temp T] [--top-k K] [--top-p P]\n"
                "       [--seed S] [--ctx N] [--ids] [--json] [--jit]\n", std::string(args[0]).c_str());
        return false;
    }
    return true;
}

bool is_gguf(const std::string& name)
{
    return name.size() > 5 && strcasecmp(name.c_str() + name.size() - 5, ".gguf") == 0;
}

// GRUB's copies of /models/*.gguf. They are only left in memory when there
// is no boot volume (init/Jit.cpp returns them otherwise): booted from a
// USB stick, the models come from here, read-only (docs/HARDWARE.md).
struct BootModel {
    std::string path;
    const uint8_t* bytes;
    uint64_t size;
};

std::vector<BootModel> boot_models()
{
    std::vector<BootModel> found;
    const BootInfo& info = kernel().boot_info;
    for (size_t i = 0; i < info.module_count; ++i) {
        const BootModule& m = info.modules[i];
        std::string name(m.name());
        if (m.end > m.start && is_gguf(name))
            found.push_back({ "/models/" + name, reinterpret_cast<const uint8_t*>(m.start), m.end - m.start });
    }
    return found;
}

// /models/DEFAULT.GGUF (the model the image ships) if present, otherwise
// the first *.gguf in /models: on the boot volume, or among GRUB's copies.
ErrorOr<std::string> default_model(Fat16Volume* volume)
{
    if (!volume) {
        auto models = boot_models();
        for (const BootModel& m : models)
            if (strcasecmp(m.path.c_str(), "/models/default.gguf") == 0)
                return m.path;
        if (!models.empty())
            return models.front().path;
        return Error::from(ErrorCode::NotFound, "no model: no boot volume, and GRUB loaded no /models/*.gguf");
    }
    if (auto info = volume->stat("/models/default.gguf"); !info.is_error() && !info->is_directory)
        return std::string("/models/default.gguf");
    auto entries = TRY(volume->list("/models"));
    for (const FatEntryInfo& e : entries)
        if (!e.is_directory && is_gguf(e.name))
            return "/models/" + e.name;
    return Error::from(ErrorCode::NotFound, "no model in /models (copy a .gguf there, or pass --model PATH)");
}

ErrorOr<std::unique_ptr<LoadedModel>> adopt_boot_model(const std::string& path, const GenerateOptions& o)
{
    for (const BootModel& m : boot_models())
        if (strcasecmp(m.path.c_str(), path.c_str()) == 0)
            return LoadedModel::adopt(m.path, m.bytes, m.size, o.context, o.tokens);
    return Error::format(ErrorCode::NotFound, "model: %s is not among GRUB's copies (no boot volume; see 'models')",
                         path.c_str());
}

ErrorOr<LoadedModel*> model_for(Fat16Volume* volume, const GenerateOptions& o, bool& loaded_now)
{
    std::string path = o.model.empty() ? TRY(default_model(volume)) : o.model;
    loaded_now = false;
    if (g_loaded && strcasecmp(g_loaded->path().c_str(), path.c_str()) == 0)
        return g_loaded.get();
    // Free the old model first: its memory may be what the new one needs.
    g_loaded.reset();
    g_loaded = volume ? TRY(LoadedModel::load(*volume, path, o.context, o.tokens)) : TRY(adopt_boot_model(path, o));
    loaded_now = true;
    return g_loaded.get();
}

void print_ids(const char* name, const std::vector<int32_t>& ids)
{
    kprintf("\"%s\":[", name);
    for (size_t i = 0; i < ids.size(); ++i)
        kprintf(i ? ",%d" : "%d", ids[i]);
    kprintf("]");
}

void print_json_string(const std::vector<char>& text)
{
    kprintf("\"");
    for (char ch : text) {
        unsigned char c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') kprintf("\\%c", c);
        else if (c == '\n') kprintf("\\n");
        else if (c < 0x20) kprintf("\\u%04x", c);
        else kprintf("%c", c);
    }
    kprintf("\"");
}

struct Stream {
    const Vocabulary* vocab;
    bool print;
    std::vector<char> text;
};

void on_token(void* context, int32_t token, const float*, size_t)
{
    auto* stream = static_cast<Stream*>(context);
    size_t before = stream->text.size();
    stream->vocab->append_text(token, stream->text);
    if (stream->print && stream->text.size() > before)
        console().write(stream->text.data() + before, stream->text.size() - before);
}

void run(const CommandLine& args, bool chat)
{
    GenerateOptions o;
    if (!parse_options(args, o))
        return;
    Fat16Volume* volume = Storage::get().boot_volume();
    const uint64_t start = arch::now_ns();
    bool loaded_now = false;
    auto loaded = model_for(volume, o, loaded_now);
    if (loaded.is_error()) {
        kprintf("error: %s\n", loaded.error().message());
        return;
    }
    LoadedModel& m = *loaded.value();
    const LlamaConfig& config = m.model().config();

    SpmTokenizer tokenizer(m.vocab());
    std::vector<int32_t> prompt;
    if (chat) {
        kprintf("chat template: %s\n", m.chat_template().description());
        prompt = encode_with_special_tokens(tokenizer, m.vocab(), m.chat_template().render(o.prompt), m.vocab().add_bos());
    } else {
        prompt = tokenizer.encode(o.prompt, m.vocab().add_bos());
    }
    uint32_t context = o.context ? o.context : uint32_t(prompt.size()) + o.tokens;
    if (context > config.context_length)
        context = config.context_length;
    MemoryEstimate working = MemoryEstimate::of(config, 0, context);
    if (auto fits = LoadedModel::check_fits(working.total(), "the KV cache and buffers"); fits.is_error()) {
        kprintf("error: %s\n", fits.error().message());
        return;
    }
    auto transformer = Transformer::create(m.model(), context);
    if (transformer.is_error()) {
        kprintf("error: %s\n", transformer.error().message());
        return;
    }
    if (o.jit) {
        KernelJit* jit = KernelJit::get();
        // The kernels' bitcode is read from /modules/llm on the boot volume.
        auto kernels = !jit ? ErrorOr<const ComputeKernels*>(Error::from(ErrorCode::Unsupported, "the JIT is not running"))
            : !volume       ? ErrorOr<const ComputeKernels*>(Error::from(ErrorCode::Unsupported, "no boot volume for /modules/llm"))
                            : bind_jit_llm_kernels(*jit, *volume);
        if (kernels.is_error()) {
            kprintf("error: --jit: %s\n", kernels.error().message());
            return;
        }
        transformer->set_kernels(*kernels.value());
    }
    ParallelExecutor& executor = smp_executor();
    GenerationStats stats;
    stats.load_ms = static_cast<double>(arch::now_ns() - start) / 1e6;
    stats.workers = uint32_t(executor.concurrency());

    GenerationRequest request;
    request.prompt = prompt.data();
    request.prompt_size = prompt.size();
    request.max_tokens = o.tokens;
    request.sampler = o.sampler;
    request.eos = m.vocab().eos();
    Stream stream { &m.vocab(), !o.ids && !o.json, {} };
    Generator generator(*transformer, executor, config.vocab_size, &arch::now_ns);
    std::vector<int32_t> generated;
    auto result = generator.run(request, on_token, &stream, generated, stats);
    if (result.is_error()) {
        kprintf("%serror: %s\n", stream.text.empty() ? "" : "\n", result.error().message());
        return;
    }
    char line[200];
    stats.format(line, sizeof(line), "cores");
    if (o.json) {
        kprintf("{\"model\":\"%s\",\"loaded\":%s,", m.path().c_str(), loaded_now ? "true" : "false");
        print_ids("prompt_ids", prompt);
        kprintf(",");
        print_ids("generated_ids", generated);
        kprintf(",\"text\":");
        print_json_string(stream.text);
        kprintf(",\"load_ms\":%.1f,\"prompt_tokens\":%zu,\"prompt_tok_s\":%.6g,\"generated_tokens\":%zu,"
                "\"generation_tok_s\":%.6g,\"cores\":%u}\n",
                stats.load_ms, stats.prompt_tokens, stats.prompt_tokens_per_second(), stats.evaluated_tokens,
                stats.generation_tokens_per_second(), stats.workers);
        return;
    }
    if (o.ids) {
        kprintf("{");
        print_ids("prompt_ids", prompt);
        kprintf(",");
        print_ids("generated_ids", generated);
        kprintf("}\n");
    } else {
        kprintf("\n");
    }
    kprintf("%s%s\n", line, loaded_now ? "" : " (model already loaded)");
    if (o.jit) {
        char kernels[600];
        describe_jit_llm_kernels(*KernelJit::get(), kernels, sizeof(kernels));
        kprintf("%s\n", kernels);
    }
}

} // namespace

void cmd_generate(const CommandLine& args) { run(args, false); }

void cmd_chat(const CommandLine& args) { run(args, true); }

void cmd_models(const CommandLine&)
{
    Fat16Volume* volume = Storage::get().boot_volume();
    if (!volume) {
        auto models = boot_models();
        for (const BootModel& m : models) {
            bool cached = g_loaded && strcasecmp(g_loaded->path().c_str(), m.path.c_str()) == 0;
            kprintf("%12lu  %s  (GRUB's copy, read-only)%s\n", m.size, m.path.c_str(), cached ? "  (loaded)" : "");
        }
        if (models.empty())
            kprintf("no models: no boot volume, and GRUB loaded no /models/*.gguf\n");
        return;
    }
    auto entries = volume->list("/models");
    if (entries.is_error()) {
        kprintf("error: %s\n", entries.error().message());
        return;
    }
    size_t count = 0;
    for (const FatEntryInfo& e : entries.value()) {
        if (e.is_directory || !is_gguf(e.name))
            continue;
        std::string path = "/models/" + e.name;
        bool cached = g_loaded && strcasecmp(g_loaded->path().c_str(), path.c_str()) == 0;
        kprintf("%12u  %s%s\n", e.size, path.c_str(), cached ? "  (loaded)" : "");
        ++count;
    }
    if (count == 0)
        kprintf("no models in /models\n");
}

} // namespace fluid
