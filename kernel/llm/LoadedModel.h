// A GGUF model read from the boot volume into one block of memory and
// parsed in place: the weights are used where they lie (LlamaModel's
// WeightMatrix views), never copied or dequantised. The shell keeps the
// last one loaded, so a second `generate` on the same path does not read
// the file again.
#pragma once

#include "kernel/fs/Fat16Volume.h"
#include "kernel/lib/ErrorOr.h"
#include "llm/ChatTemplate.h"
#include "llm/GgufFile.h"
#include "llm/LlamaModel.h"
#include "llm/MemoryEstimate.h"
#include "llm/Vocabulary.h"

#include <cstdint>
#include <memory>
#include <string>

namespace fluid {

class LoadedModel {
public:
    // A request for prompts of up to this many tokens fits any shell line
    // (CommandLine::max_length bytes, one token a byte at worst) plus a
    // chat template's markers.
    static constexpr uint32_t max_prompt_tokens = 600;

    // Reads `path` with a progress bar, after checking that the file, the
    // KV cache for `context` positions (0: the longest prompt plus
    // `new_tokens`) and the working buffers fit in free memory.
    static ErrorOr<std::unique_ptr<LoadedModel>> load(Fat16Volume& volume, const std::string& path, uint32_t context,
                                                      uint32_t new_tokens);

    // A model GRUB already put in memory (booted from a device the kernel
    // has no driver for, docs/HARDWARE.md): used where it lies, read-only,
    // after the same check that the KV cache and buffers fit.
    static ErrorOr<std::unique_ptr<LoadedModel>> adopt(const std::string& path, const uint8_t* bytes, uint64_t size,
                                                       uint32_t context, uint32_t new_tokens);

    ~LoadedModel();
    LoadedModel(const LoadedModel&) = delete;
    LoadedModel& operator=(const LoadedModel&) = delete;

    const std::string& path() const { return m_path; }
    uint64_t file_bytes() const { return m_size; }
    double load_ms() const { return m_load_ms; }
    const llm::GgufFile& file() const { return m_file; }
    const llm::LlamaModel& model() const { return m_model; }
    const llm::Vocabulary& vocab() const { return m_vocab; }
    const llm::ChatTemplate& chat_template() const { return m_chat; }

    // Refuses, naming both numbers, when `need` bytes exceed free memory.
    static ErrorOr<void> check_fits(uint64_t need, const char* what);

private:
    LoadedModel() = default;
    static ErrorOr<void> check_before_reading(Fat16Volume&, const std::string& path, uint64_t size, uint32_t context,
                                              uint32_t new_tokens);
    static ErrorOr<void> check_header(const uint8_t* prefix, size_t prefix_size, const std::string& path, uint64_t size,
                                      uint64_t counted, uint32_t context, uint32_t new_tokens);
    ErrorOr<void> parse_in_place();

    std::string m_path;
    uint8_t* m_bytes { nullptr };
    bool m_owned { true }; // false: GRUB's copy, not ours to free
    uint64_t m_size { 0 };
    double m_load_ms { 0 };
    llm::GgufFile m_file;
    llm::LlamaModel m_model;
    llm::Vocabulary m_vocab;
    llm::ChatTemplate m_chat;
};

} // namespace fluid
