// libFuzzer target for the GGUF reader and everything that trusts it: the
// input is a whole model file. It is parsed, then the Llama config, the
// vocabulary, the weights, the tokenizer and one forward step are tried on
// it; none of it may crash or touch memory outside the input (ASan and
// UBSan watch). Seeds are small models from mkmodel (tests/llm/CMakeLists.txt).
#include "kernel/lib/ParallelExecutor.h"
#include "llm/GgufFile.h"
#include "llm/LlamaModel.h"
#include "llm/SpmTokenizer.h"
#include "llm/Transformer.h"
#include "llm/Vocabulary.h"

#include <cstdint>
#include <cstring>
#include <vector>

using namespace fluid;
using namespace fluid::llm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // The kernel and fluid-host hand the reader page-aligned buffers; copy
    // so the fuzzer's arbitrary input address does not add misalignment.
    std::vector<uint8_t> buffer(data, data + size);
    auto file = GgufFile::open(buffer.data(), buffer.size());
    if (file.is_error())
        return 0;
    for (auto& kv : file->metadata()) {
        if (kv.value.is_array() && kv.value.element_type != GgufValueType::String
            && kv.value.element_type != GgufValueType::Array) {
            for (uint64_t i = 0; i < kv.value.count && i < 64; ++i)
                (void)kv.value.float_at(i);
        }
    }
    auto vocab = Vocabulary::from_gguf(*file);
    if (!vocab.is_error()) {
        SpmTokenizer tokenizer(*vocab);
        auto ids = tokenizer.encode("Hello world,\n the caf\xC3\xA9 \xF0\x9F\xA6\x99", true);
        std::vector<char> text;
        for (int32_t id : ids)
            vocab->append_text(id, text);
    }
    auto model = LlamaModel::load(*file);
    if (model.is_error())
        return 0;
    const LlamaConfig& config = model->config();
    // Keep one step cheap: the reader has already bounded the weights by the
    // input size, but not the work per token of a wide, deep model.
    if (static_cast<uint64_t>(config.dim) * config.layers * (config.ffn_dim + config.dim) > (1u << 24))
        return 0;
    auto transformer = Transformer::create(*model, config.context_length < 4 ? config.context_length : 4);
    if (transformer.is_error())
        return 0;
    SerialExecutor executor;
    for (uint32_t pos = 0; pos < transformer->context(); ++pos) {
        auto logits = transformer->forward(executor, pos % config.vocab_size, pos);
        if (logits.is_error())
            break;
    }
    return 0;
}
