#include "kernel/bench/BenchReport.h"

#include <cstdio>

namespace fluid::bench {

std::string format_fixed(uint64_t value, uint64_t divisor, unsigned decimals)
{
    if (divisor == 0)
        return "0";
    uint64_t scale = 1;
    for (unsigned i = 0; i < decimals; ++i)
        scale *= 10;
    // value * scale / divisor, rounded; split to keep value * scale in range.
    uint64_t whole = value / divisor;
    uint64_t rest = value % divisor;
    uint64_t fraction = (rest * scale + divisor / 2) / divisor;
    if (fraction >= scale) {
        whole += 1;
        fraction -= scale;
    }
    char text[48];
    if (decimals == 0)
        snprintf(text, sizeof(text), "%lu", static_cast<unsigned long>(whole));
    else
        snprintf(text, sizeof(text), "%lu.%0*lu", static_cast<unsigned long>(whole), static_cast<int>(decimals),
                 static_cast<unsigned long>(fraction));
    return text;
}

std::string json_string(const std::string& text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            snprintf(escape, sizeof(escape), "\\u%04x", static_cast<unsigned>(c));
            out += escape;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

static const char* verdict(const TierResult& tier)
{
    if (!tier.present)
        return "none";
    return tier.check_passed ? "pass" : "fail";
}

static std::string ns_or_null(const TierResult& tier)
{
    return tier.timed ? std::to_string(tier.median_ns) : "null";
}

static std::string ratio_or_null(const TierResult& numerator, const TierResult& denominator)
{
    if (!numerator.timed || !denominator.timed || denominator.median_ns == 0)
        return "null";
    return format_fixed(numerator.median_ns, denominator.median_ns, 3);
}

static std::string compile_ms_or_null(const TierResult& tier)
{
    // Compiled is enough: a module whose check fails still has a compile time.
    return tier.present && tier.compile_ns > 0 ? format_fixed(tier.compile_ns, 1'000'000, 3) : "null";
}

static std::string first_error(const WorkloadResult& result)
{
    if (!result.o0.error.empty())
        return "O0: " + result.o0.error;
    if (!result.o3.error.empty())
        return "O3: " + result.o3.error;
    if (!result.aot.error.empty())
        return "AOT: " + result.aot.error;
    if (!result.tiered.error.empty())
        return "tiered: " + result.tiered.error;
    return result.error;
}

std::string format_json(const WorkloadResult& r)
{
    std::string error = first_error(r);
    std::string line = "{\"name\":" + json_string(r.name);
    line += ",\"check\":\"" + std::string(r.passed() ? "pass" : "fail") + "\"";
    line += ",\"checks\":{\"o0\":\"" + std::string(verdict(r.o0)) + "\",\"o3\":\"" + verdict(r.o3) + "\",\"aot\":\"" +
            verdict(r.aot) + "\"}";
    line += ",\"n\":" + std::to_string(r.n);
    line += ",\"iterations\":" + std::to_string(r.iterations);
    line += ",\"o0_ns\":" + ns_or_null(r.o0);
    line += ",\"o3_ns\":" + ns_or_null(r.o3);
    line += ",\"aot_ns\":" + ns_or_null(r.aot);
    line += ",\"compile_ms\":{\"o0\":" + compile_ms_or_null(r.o0) + ",\"o3\":" + compile_ms_or_null(r.o3) + "}";
    line += ",\"o0_over_o3\":" + ratio_or_null(r.o0, r.o3);
    line += ",\"o3_over_aot\":" + ratio_or_null(r.o3, r.aot);
    line += ",\"swapped_after_calls\":" +
            (r.swapped_after_calls ? std::to_string(*r.swapped_after_calls) : std::string("null"));
    line += ",\"tiered_check\":\"" + std::string(verdict(r.tiered)) + "\"";
    line += ",\"tiered_o3_ns\":" + ns_or_null(r.tiered);
    line += ",\"tiered_calls\":" + std::to_string(r.tiered_calls);
    line += ",\"swapped_by\":" + std::string(!r.swapped_after_calls ? "null"
                                              : r.swapped_by_back_edges ? "\"back_edges\""
                                                                        : "\"calls\"");
    line += ",\"tier_compile_ms\":{";
    for (unsigned level = 0; level < 4; ++level) {
        uint64_t ns = r.tier_compile_ns[level];
        line += std::string(level ? "," : "") + "\"o" + std::to_string(level) + "\":" +
                (ns ? format_fixed(ns, 1'000'000, 3) : std::string("null"));
    }
    line += "}";
    line += ",\"checksum\":" + (r.o0.timed ? std::to_string(r.o0.checksum) : std::string("null"));
    line += ",\"error\":" + (error.empty() ? std::string("null") : json_string(error));
    return line + "}\n";
}

std::string format_json_summary(std::span<const WorkloadResult> results)
{
    size_t passed = 0;
    for (const auto& r : results)
        passed += r.passed();
    char text[160];
    snprintf(text, sizeof(text), "{\"summary\":\"bench\",\"workloads\":%zu,\"passed\":%zu,\"failed\":%zu,\"check\":\"%s\"}\n",
             results.size(), passed, results.size() - passed, passed == results.size() ? "pass" : "fail");
    return text;
}

std::string format_table_header()
{
    char text[200];
    snprintf(text, sizeof(text), "%-14s %-5s %8s %12s %12s %12s %8s %8s %10s %10s %10s %12s\n", "workload", "check",
             "n", "O0 ns", "O3 ns", "AOT ns", "O0/O3", "O3/AOT", "O0 cc ms", "O3 cc ms", "swap@call", "tiered O3 ns");
    return text;
}

static std::string dash_if_null(std::string value)
{
    return value == "null" ? "-" : value;
}

std::string format_table_row(const WorkloadResult& r)
{
    char text[320];
    std::string swapped = r.swapped_after_calls ? std::to_string(*r.swapped_after_calls) : "-";
    snprintf(text, sizeof(text), "%-14s %-5s %8ld %12s %12s %12s %8s %8s %10s %10s %10s %12s\n", r.name.c_str(),
             r.passed() ? "pass" : "FAIL", static_cast<long>(r.n), dash_if_null(ns_or_null(r.o0)).c_str(),
             dash_if_null(ns_or_null(r.o3)).c_str(), dash_if_null(ns_or_null(r.aot)).c_str(),
             dash_if_null(ratio_or_null(r.o0, r.o3)).c_str(), dash_if_null(ratio_or_null(r.o3, r.aot)).c_str(),
             dash_if_null(compile_ms_or_null(r.o0)).c_str(), dash_if_null(compile_ms_or_null(r.o3)).c_str(),
             swapped.c_str(), dash_if_null(ns_or_null(r.tiered)).c_str());
    std::string row = text;
    if (std::string error = first_error(r); !error.empty())
        row += "  " + r.name + ": " + error + "\n";
    return row;
}

std::string format_table_summary(std::span<const WorkloadResult> results)
{
    size_t passed = 0;
    for (const auto& r : results)
        passed += r.passed();
    char text[160];
    snprintf(text, sizeof(text), "%zu workload(s): %zu passed, %zu failed (times are medians per call)\n",
             results.size(), passed, results.size() - passed);
    return text;
}

} // namespace fluid::bench
