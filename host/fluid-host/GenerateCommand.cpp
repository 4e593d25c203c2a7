#include "host/fluid-host/GenerateCommand.h"

#include "host/fluid-host/JitLlmKernels.h"
#include "host/fluid-host/ThreadPoolExecutor.h"
#include "llm/ChatTemplate.h"
#include "llm/CpuFeatures.h"
#include "llm/Generator.h"
#include "llm/GgufFile.h"
#include "llm/LlamaModel.h"
#include "llm/Sampler.h"
#include "llm/SpmTokenizer.h"
#include "llm/Transformer.h"
#include "llm/Vocabulary.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fluid::host {

using namespace fluid::llm;

namespace {

struct GenerateOptions {
    const char* model { nullptr };
    const char* prompt { nullptr };
    uint32_t tokens { 32 };
    uint32_t threads { 0 };
    uint32_t context { 0 };
    SamplerOptions sampler;
    bool ids { false };
    bool dump_gap { false };
    bool ignore_eos { false };
    bool portable { false };
    const char* jit_kernels { nullptr }; // directory of llm_kernels*.bc
};

void usage()
{
    fprintf(stderr,
            "usage: fluid-host generate|chat MODEL.gguf \"PROMPT\" [--tokens N] [--threads T] [--context N]\n"
            "                           [--temp X] [--top-k K] [--top-p P] [--seed S] [--ids] [--dump-gap]\n"
            "                           [--ignore-eos] [--portable] [--jit-kernels DIR]\n");
}

bool parse(int argc, char** argv, GenerateOptions& o)
{
    int positional = 0;
    for (int i = 0; i < argc; ++i) {
        const char* arg = argv[i];
        if (!strcmp(arg, "--ids")) { o.ids = true; continue; }
        if (!strcmp(arg, "--dump-gap")) { o.dump_gap = true; continue; }
        if (!strcmp(arg, "--ignore-eos")) { o.ignore_eos = true; continue; }
        if (!strcmp(arg, "--portable")) { o.portable = true; continue; }
        if (strncmp(arg, "--", 2) != 0) {
            if (positional == 0) o.model = arg;
            else if (positional == 1) o.prompt = arg;
            else return false;
            ++positional;
            continue;
        }
        if (i + 1 >= argc)
            return false;
        const char* value = argv[++i];
        if (!strcmp(arg, "--jit-kernels")) {
            o.jit_kernels = value;
            continue;
        }
        char* end = nullptr;
        double number = strtod(value, &end);
        if (!end || *end != '\0' || number < 0)
            return false;
        if (!strcmp(arg, "--tokens")) o.tokens = static_cast<uint32_t>(number);
        else if (!strcmp(arg, "--threads")) o.threads = static_cast<uint32_t>(number);
        else if (!strcmp(arg, "--context")) o.context = static_cast<uint32_t>(number);
        else if (!strcmp(arg, "--temp")) o.sampler.temperature = static_cast<float>(number);
        else if (!strcmp(arg, "--top-k")) o.sampler.top_k = static_cast<uint32_t>(number);
        else if (!strcmp(arg, "--top-p")) o.sampler.top_p = static_cast<float>(number);
        else if (!strcmp(arg, "--seed")) o.sampler.seed = static_cast<uint64_t>(number);
        else return false;
    }
    return o.model && o.prompt;
}

double now_ms()
{
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// The whole file in anonymous memory (with transparent huge pages where
// the kernel gives them): weights stream about twice as fast from there as
// from a page-cache mapping (../shared/DESIGN.md), and it is what the
// kernel does too.
struct FileBuffer {
    uint8_t* data { nullptr };
    size_t size { 0 };
    ~FileBuffer()
    {
        if (data)
            munmap(data, size ? size : 1);
    }
};

bool read_file(const char* path, FileBuffer& buffer)
{
    int fd = ::open(path, O_RDONLY);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return false;
    }
    buffer.size = static_cast<size_t>(st.st_size);
    void* memory = mmap(nullptr, buffer.size ? buffer.size : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        close(fd);
        return false;
    }
    buffer.data = static_cast<uint8_t*>(memory);
    madvise(memory, buffer.size, MADV_HUGEPAGE);
    size_t done = 0;
    while (done < buffer.size) {
        ssize_t n = ::read(fd, buffer.data + done, buffer.size - done);
        if (n <= 0) {
            close(fd);
            return false;
        }
        done += static_cast<size_t>(n);
    }
    close(fd);
    return true;
}

int fail(const Error& error)
{
    fprintf(stderr, "fluid-host: %s\n", error.message());
    return 1;
}

void print_ids(const char* name, const std::vector<int32_t>& ids)
{
    printf("\"%s\":[", name);
    for (size_t i = 0; i < ids.size(); ++i)
        printf("%s%d", i ? "," : "", ids[i]);
    printf("]");
}

void print_token(const Vocabulary& vocab, int32_t id)
{
    std::vector<char> text;
    vocab.append_text(id, text);
    fwrite(text.data(), 1, text.size(), stdout);
    fflush(stdout);
}

struct Sink {
    const Vocabulary* vocab;
    bool print;
    bool dump_gap;
    std::vector<float> gaps;
};

void on_token(void* context, int32_t token, const float* logits, size_t vocab_size)
{
    auto* sink = static_cast<Sink*>(context);
    if (sink->dump_gap)
        sink->gaps.push_back(Sampler::top2_gap(logits, vocab_size));
    if (sink->print)
        print_token(*sink->vocab, token);
}

uint64_t now_ns()
{
    using namespace std::chrono;
    return static_cast<uint64_t>(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count());
}

// generate and chat: the same engine; chat renders the message through
// the model's chat template first and parses special tokens in it.
int run_generation(int argc, char** argv, bool chat)
{
    GenerateOptions o;
    if (!parse(argc, argv, o)) {
        usage();
        return 2;
    }
    // --portable: the code paths of a CPU without AVX2 (QEMU's default
    // qemu64), so the oracle tests cover them on this host too.
    if (o.portable)
        set_simd_enabled(false);
    if (o.threads == 0)
        o.threads = std::thread::hardware_concurrency() ? std::thread::hardware_concurrency() : 1;

    const double load_start = now_ms();
    FileBuffer buffer;
    if (!read_file(o.model, buffer)) {
        fprintf(stderr, "fluid-host: cannot read %s: %s\n", o.model, strerror(errno));
        return 1;
    }
    auto file = GgufFile::open(buffer.data, buffer.size);
    if (file.is_error())
        return fail(file.error());
    auto model = LlamaModel::load(*file);
    if (model.is_error())
        return fail(model.error());
    auto vocab = Vocabulary::from_gguf(*file);
    if (vocab.is_error())
        return fail(vocab.error());
    if (vocab->model() != "llama") {
        fprintf(stderr, "fluid-host: tokenizer '%.*s' is not supported (only llama)\n",
                static_cast<int>(vocab->model().size()), vocab->model().data());
        return 1;
    }
    SpmTokenizer tokenizer(*vocab);
    std::vector<int32_t> prompt;
    if (chat) {
        ChatTemplate chat_template = ChatTemplate::from_gguf(*file);
        fprintf(stderr, "chat template: %s\n", chat_template.description());
        prompt = encode_with_special_tokens(tokenizer, *vocab, chat_template.render(o.prompt), vocab->add_bos());
    } else {
        prompt = tokenizer.encode(o.prompt, vocab->add_bos());
    }
    uint32_t context = o.context ? o.context : static_cast<uint32_t>(prompt.size()) + o.tokens;
    if (context > model->config().context_length)
        context = model->config().context_length;
    auto transformer = Transformer::create(*model, context);
    if (transformer.is_error())
        return fail(transformer.error());
    // --jit-kernels: the forward pass calls the JIT's kernels, which start
    // at O0 and are promoted by a compiler thread while it runs.
    std::unique_ptr<JitLlmKernels> jit_kernels;
    if (o.jit_kernels) {
        auto created = JitLlmKernels::create(o.jit_kernels, o.portable);
        if (created.is_error())
            return fail(created.error());
        jit_kernels = std::move(created.value());
        transformer->set_kernels(jit_kernels->kernels());
    }
    ThreadPoolExecutor executor(o.threads);
    GenerationStats stats;
    stats.load_ms = now_ms() - load_start;
    stats.workers = o.threads;

    GenerationRequest request;
    request.prompt = prompt.data();
    request.prompt_size = prompt.size();
    request.max_tokens = o.tokens;
    request.sampler = o.sampler;
    request.eos = vocab->eos();
    request.ignore_eos = o.ignore_eos;
    Sink sink { &vocab.value(), !o.ids, o.dump_gap, {} };
    Generator generator(*transformer, executor, model->config().vocab_size, now_ns);
    std::vector<int32_t> generated;
    auto result = generator.run(request, on_token, &sink, generated, stats);
    if (result.is_error())
        return fail(result.error());

    if (o.ids) {
        printf("{");
        print_ids("prompt_ids", prompt);
        printf(",");
        print_ids("generated_ids", generated);
        if (o.dump_gap) {
            printf(",\"gaps\":[");
            for (size_t i = 0; i < sink.gaps.size(); ++i)
                printf("%s%.6g", i ? "," : "", sink.gaps[i]);
            printf("]");
        }
        printf("}\n");
    } else {
        printf("\n");
    }
    char line[200];
    stats.format(line, sizeof(line), "threads");
    fprintf(stderr, "%s\n", line);
    if (jit_kernels)
        fprintf(stderr, "%s\n", jit_kernels->summary().c_str());
    return 0;
}

} // namespace

int generate_command(int argc, char** argv) { return run_generation(argc, argv, false); }

int chat_command(int argc, char** argv) { return run_generation(argc, argv, true); }

} // namespace fluid::host
