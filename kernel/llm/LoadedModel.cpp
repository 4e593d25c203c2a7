#include "kernel/llm/LoadedModel.h"

#include "kernel/Kernel.h"
#include "kernel/drivers/Console.h"
#include "kernel/mm/MemoryRequest.h"
#include "kernel/mm/PageAllocator.h"
#include "kernel/shell/ProgressBar.h"

#include <arch/clock.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>

namespace fluid {

using namespace fluid::llm;

// Big enough for the metadata of real models (TinyLlama's 32000-token
// vocabulary takes about 0.7 MiB; Llama 3's 128256 about 3 MiB).
static constexpr size_t header_prefix_bytes = 8 << 20;
// Large reads: the IDE and AHCI drivers move up to 8 MiB per request.
static constexpr size_t read_chunk_bytes = 8 << 20;

ErrorOr<void> LoadedModel::check_fits(uint64_t need, const char* what)
{
    // What a request may take: the rest is the kernel's reserve
    // (kernel/mm/MemoryRequest.h).
    uint64_t available = MemoryRequest::available_bytes(kernel().pages->free_bytes());
    if (need <= available)
        return {};
    return Error::format(ErrorCode::NoMemory, "model: %s = %lu bytes needed, %lu bytes free above the reserve", what,
                         need, available);
}

// Reads the header alone first, so a model that cannot fit is refused
// before a byte of its weights is read.
ErrorOr<void> LoadedModel::check_before_reading(Fat16Volume& volume, const std::string& path, uint64_t size,
                                                uint32_t context, uint32_t new_tokens)
{
    size_t prefix_size = size < header_prefix_bytes ? size : header_prefix_bytes;
    // The file alone must fit, whatever its header says.
    TRY(check_fits(size, "the file"));
    std::unique_ptr<uint8_t[]> prefix(new (std::nothrow) uint8_t[prefix_size ? prefix_size : 1]);
    if (!prefix)
        return Error::format(ErrorCode::NoMemory, "model: no memory for a %zu-byte header", prefix_size);
    size_t done = 0;
    while (done < prefix_size) {
        size_t got = TRY(volume.read(path, done, { prefix.get() + done, prefix_size - done }));
        if (got == 0)
            return Error::format(ErrorCode::IoError, "model: %s ended at %zu bytes while reading", path.c_str(), done);
        done += got;
    }
    return check_header(prefix.get(), prefix_size, path, size, size, context, new_tokens);
}

// The memory check from the header alone: `prefix` holds the file's first
// `prefix_size` of `size` bytes, and `counted` of them still need memory.
ErrorOr<void> LoadedModel::check_header(const uint8_t* prefix, size_t prefix_size, const std::string& path,
                                        uint64_t size, uint64_t counted, uint32_t context, uint32_t new_tokens)
{
    auto header = GgufFile::open_header(prefix, prefix_size, size);
    if (header.is_error()) {
        // A header longer than the prefix is checked after the full read.
        if (prefix_size < size)
            return {};
        return header.release_error();
    }
    LlamaConfig config = TRY(LlamaConfig::from_gguf(*header));
    if (context == 0)
        context = max_prompt_tokens + new_tokens;
    if (context > config.context_length)
        context = config.context_length;
    MemoryEstimate need = MemoryEstimate::of(config, counted, context);
    // Error messages hold 160 bytes: name the file, not its whole path.
    const char* name = strrchr(path.c_str(), '/') ? strrchr(path.c_str(), '/') + 1 : path.c_str();
    char what[120];
    snprintf(what, sizeof(what), "%.24s: file %lu + KV cache %lu + buffers %lu (context %u)", name, need.file_bytes,
             need.kv_cache_bytes, need.buffer_bytes, context);
    return check_fits(need.total(), what);
}

ErrorOr<std::unique_ptr<LoadedModel>> LoadedModel::load(Fat16Volume& volume, const std::string& path,
                                                        uint32_t context, uint32_t new_tokens)
{
    const uint64_t start = arch::now_ns();
    auto info = TRY(volume.stat(path));
    if (info.is_directory)
        return Error::format(ErrorCode::Invalid, "model: %s is a directory", path.c_str());
    TRY(check_before_reading(volume, path, info.size, context, new_tokens));

    std::unique_ptr<LoadedModel> loaded(new LoadedModel);
    loaded->m_path = path;
    loaded->m_size = info.size;
    // Page-aligned: tensor data is aligned within the file (32 bytes by
    // default), so it stays aligned in memory.
    loaded->m_bytes = static_cast<uint8_t*>(aligned_alloc(PageAllocator::page_size,
                                                          (info.size + PageAllocator::page_size - 1) & ~(PageAllocator::page_size - 1)));
    if (!loaded->m_bytes)
        return Error::format(ErrorCode::NoMemory, "model: no contiguous %u bytes for %s", info.size, path.c_str());

    ProgressBar progress(info.size, start);
    uint64_t offset = 0;
    while (offset < info.size) {
        size_t want = info.size - offset < read_chunk_bytes ? info.size - offset : read_chunk_bytes;
        size_t got = TRY(volume.read(path, offset, { loaded->m_bytes + offset, want }));
        if (got == 0)
            return Error::format(ErrorCode::IoError, "model: %s ended at %lu of %u bytes", path.c_str(), offset, info.size);
        offset += got;
        progress.update(offset, arch::now_ns());
    }
    progress.finish(arch::now_ns());
    TRY(loaded->parse_in_place());
    loaded->m_load_ms = static_cast<double>(arch::now_ns() - start) / 1e6;
    return loaded;
}

ErrorOr<std::unique_ptr<LoadedModel>> LoadedModel::adopt(const std::string& path, const uint8_t* bytes, uint64_t size,
                                                         uint32_t context, uint32_t new_tokens)
{
    const uint64_t start = arch::now_ns();
    // The file is in memory already (GRUB's reserved pages): only the KV
    // cache and buffers need to fit, so the file's bytes are not counted twice.
    size_t prefix_size = size < header_prefix_bytes ? size : header_prefix_bytes;
    TRY(check_header(bytes, prefix_size, path, size, 0, context, new_tokens));
    std::unique_ptr<LoadedModel> loaded(new LoadedModel);
    loaded->m_path = path;
    loaded->m_size = size;
    loaded->m_bytes = const_cast<uint8_t*>(bytes); // parsed read-only, never written
    loaded->m_owned = false;
    TRY(loaded->parse_in_place());
    loaded->m_load_ms = static_cast<double>(arch::now_ns() - start) / 1e6;
    return loaded;
}

ErrorOr<void> LoadedModel::parse_in_place()
{
    LoadedModel* loaded = this;
    loaded->m_file = TRY(GgufFile::open(loaded->m_bytes, loaded->m_size));
    loaded->m_model = TRY(LlamaModel::load(loaded->m_file));
    loaded->m_vocab = TRY(Vocabulary::from_gguf(loaded->m_file));
    if (loaded->m_vocab.model() != "llama") {
        return Error::format(ErrorCode::Unsupported, "model: tokenizer '%.*s' is not supported (only llama)",
                             static_cast<int>(loaded->m_vocab.model().size()), loaded->m_vocab.model().data());
    }
    loaded->m_chat = ChatTemplate::from_gguf(loaded->m_file);
    return {};
}

LoadedModel::~LoadedModel()
{
    if (m_owned)
        free(m_bytes);
}

} // namespace fluid
