// A call a shell command makes again and again, straight through a module
// function's entry address: `MODULE FUNCTION [ARGS...]` with up to four
// integer arguments (tier soak, tier unload-pending).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fluid {

struct ModuleCall {
    static constexpr size_t max_arguments = 4;

    std::string module, function;
    int64_t args[max_arguments] {};
    size_t arg_count { 0 };
    uint64_t entry { 0 }; // set by the command once it has looked the function up

    // From the positional words MODULE FUNCTION ARGS... (decimal, 0x hex
    // or 0 octal, as strtoll reads them); false if they do not fit.
    bool parse(std::span<const std::string_view> positional);
    int64_t call() const;
};

} // namespace fluid
