// The /modules/ALLOWED manifest (docs/MODULES.md) in a booted kernel, on the
// two images allowed-image.sh makes (FLUID_TEST_ALLOWED_DIR):
//  * allowed.img: the manifest lists the image's modules; answer.bc is not
//    listed and wide.bc holds other bytes than the listed ones. Both are
//    refused at boot, by `load` and by `rescan`; fib still runs. bench_sum.bc
//    is listed with another hash: refused, and `bench sum` runs none of its
//    bytes. The LLM kernels (/modules/llm, not listed) are refused to
//    `generate --jit`.
//  * malformed.img: line 3 of the manifest is bad, and the kernel reads
//    GRUB's copies (storage=none): every module is refused, naming the line,
//    and the shell goes on.
#include "tests/integration/QemuSession.h"
#include "tests/integration/ShellReplies.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fluid::test {
namespace {

std::string allowed_dir()
{
    const char* dir = std::getenv("FLUID_TEST_ALLOWED_DIR");
    return dir ? dir : "";
}

// The hash sha256sum printed for answer.bc: the oracle.
std::string answer_sha256()
{
    std::ifstream in(allowed_dir() + "/answer.sha256");
    std::string hash;
    in >> hash;
    return hash;
}

size_t count(const std::string& text, const std::string& needle)
{
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

TEST(AllowList, UnlistedOrChangedModulesAreRefusedAndListedOnesRun)
{
    std::string answer = answer_sha256();
    ASSERT_EQ(answer.size(), 64u) << "no answer.sha256 in FLUID_TEST_ALLOWED_DIR=" << allowed_dir();
    double ready = -1;
    auto session = boot(Firmware::Bios, "allowed-manifest", &ready);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    // The manifest lists the image's own modules: comment line 1, then one per module.
    EXPECT_NE(boot_log.find("jit: /modules/ALLOWED lists " + std::to_string(FLUID_MODULE_COUNT)
                            + " module(s); any other module is refused"),
              std::string::npos)
        << boot_log;
    const std::string refused_answer = "refused: its SHA-256 " + answer + " is not in /modules/ALLOWED";
    EXPECT_NE(boot_log.find("jit: module answer (/modules/answer.bc) not loaded: " + refused_answer), std::string::npos)
        << boot_log;
    EXPECT_NE(boot_log.find("jit: module wide (/modules/wide.bc) not loaded: refused: its SHA-256 " + answer
                            + " is not the one /modules/ALLOWED line "),
              std::string::npos)
        << boot_log;
    EXPECT_NE(boot_log.find("jit: module bench_sum (/modules/bench_sum.bc) not loaded: refused: its SHA-256 "),
              std::string::npos)
        << boot_log;
    EXPECT_NE(boot_log.find("gives for bench_sum.bc"), std::string::npos) << boot_log;
    EXPECT_NE(boot_log.find("jit: module fib (/modules/fib.bc): "), std::string::npos) << boot_log;

    auto fib = session->command("jit run fib fib 20", command_timeout());
    ASSERT_TRUE(fib.has_value()) << session->pending();
    EXPECT_EQ(jit_result(*fib), "6765") << *fib;
    auto run_answer = session->command("jit run answer answer", command_timeout());
    ASSERT_TRUE(run_answer.has_value()) << session->pending();
    EXPECT_NE(run_answer->find("error: module 'answer' did not load: " + refused_answer), std::string::npos) << *run_answer;

    auto modules = session->command("modules", command_timeout());
    ASSERT_TRUE(modules.has_value()) << session->pending();
    EXPECT_NE(modules->find("answer (/modules/answer.bc): not loaded: " + refused_answer), std::string::npos) << *modules;
    EXPECT_EQ(count(*modules, "not loaded: refused:"), 3u) << *modules;

    auto allowed = session->command("jit allowed", command_timeout());
    ASSERT_TRUE(allowed.has_value()) << session->pending();
    EXPECT_NE(allowed->find("/modules/ALLOWED: " + std::to_string(FLUID_MODULE_COUNT) + " module(s) listed"),
              std::string::npos)
        << *allowed;
    EXPECT_NE(allowed->find("3 module(s) refused"), std::string::npos) << *allowed;

    // `bench` compiles a workload's bitcode afresh for each tier: a refused
    // bench module must give it nothing to compile (the AOT tier is kernel code).
    auto bench = session->command("bench sum --iterations 1 --json", command_timeout());
    ASSERT_TRUE(bench.has_value()) << session->pending();
    EXPECT_EQ(json_value(*bench, "name"), "\"sum\"") << *bench;
    EXPECT_NE(bench->find("\"o0_ns\":null,\"o3_ns\":null"), std::string::npos) << *bench;
    EXPECT_NE(bench->find("\"error\":\"O0: module bench_sum: not LLVM bitcode (no bytes)\""), std::string::npos)
        << *bench;

    // The manifest lists none of /modules/llm/*.bc: the JIT-compiled LLM kernels are refused too.
    auto generate = session->command("generate \"hi\" --tokens 1 --jit", command_timeout());
    ASSERT_TRUE(generate.has_value()) << session->pending();
    EXPECT_NE(generate->find("error: --jit: /modules/llm/llm_kernels.bc: refused: its SHA-256 "), std::string::npos)
        << *generate;

    auto load = session->command("load /modules/answer.bc", command_timeout());
    ASSERT_TRUE(load.has_value()) << session->pending();
    EXPECT_NE(load->find("error: module answer: " + refused_answer), std::string::npos) << *load;

    auto rescan = session->command("rescan", command_timeout());
    ASSERT_TRUE(rescan.has_value()) << session->pending();
    EXPECT_NE(rescan->find("jit: /modules/ALLOWED lists "), std::string::npos) << *rescan;
    EXPECT_NE(rescan->find("jit: module answer (/modules/answer.bc) not loaded: " + refused_answer), std::string::npos)
        << *rescan;
    EXPECT_NE(rescan->find("jit: module fib (/modules/fib.bc): "), std::string::npos) << *rescan;
    auto again = session->command("jit run fib fib 20", command_timeout());
    ASSERT_TRUE(again.has_value()) << session->pending();
    EXPECT_EQ(jit_result(*again), "6765") << *again;
}

TEST(AllowList, MalformedManifestRefusesEveryModuleAndTheShellGoesOn)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "allowed-malformed", &ready);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("jit: no boot volume; loading the"), std::string::npos) << boot_log;
    const std::string problem = "/modules/ALLOWED line 3: the hash has 7 hex digits; a SHA-256 has 64";
    // Said once, then each module names it.
    EXPECT_EQ(count(boot_log, "jit: " + problem + "; refusing every module"), 1u) << boot_log;
    EXPECT_EQ(count(boot_log, "not loaded: refused: " + problem), size_t(FLUID_MODULE_COUNT)) << boot_log;

    auto modules = session->command("modules", command_timeout());
    ASSERT_TRUE(modules.has_value()) << session->pending();
    EXPECT_EQ(count(*modules, "not loaded: refused: " + problem), size_t(FLUID_MODULE_COUNT)) << *modules;
    EXPECT_EQ(modules->find("bytes of bitcode"), std::string::npos) << "a module loaded:\n" << *modules;

    auto fib = session->command("jit run fib fib 20", command_timeout());
    ASSERT_TRUE(fib.has_value()) << session->pending();
    EXPECT_NE(fib->find("error: module 'fib' did not load: refused: " + problem), std::string::npos) << *fib;

    auto allowed = session->command("jit allowed", command_timeout());
    ASSERT_TRUE(allowed.has_value()) << session->pending();
    EXPECT_NE(allowed->find("/modules/ALLOWED is malformed, so every module is refused: " + problem), std::string::npos)
        << *allowed;

    auto echo = session->command("echo still here", command_timeout());
    ASSERT_TRUE(echo.has_value()) << session->pending();
    EXPECT_NE(echo->find("still here"), std::string::npos) << *echo;
}

} // namespace
} // namespace fluid::test
