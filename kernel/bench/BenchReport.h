// How the benchmark suite prints its results, the same in the kernel shell
// and in fluid-host: a human table, or (--json) one JSON object per
// workload and a summary object, each on one line. tools/bench/ parses the
// JSON; docs/MODULES.md lists the fields.
#pragma once

#include "kernel/bench/BenchResult.h"

#include <cstdint>
#include <span>
#include <string>

namespace fluid::bench {

// {"name":"sha256","check":"pass","n":4,...,"swapped_after_calls":null}\n
std::string format_json(const WorkloadResult&);
// {"summary":"bench","workloads":12,"passed":12,"failed":0,...}\n
std::string format_json_summary(std::span<const WorkloadResult>);

std::string format_table_header();
std::string format_table_row(const WorkloadResult&);
std::string format_table_summary(std::span<const WorkloadResult>);

// value / divisor with `decimals` decimals, rounded, without floating
// point in the formatting (the kernel's printf is not asked for %f).
std::string format_fixed(uint64_t value, uint64_t divisor, unsigned decimals);

// A JSON string literal, quotes included.
std::string json_string(const std::string&);

} // namespace fluid::bench
