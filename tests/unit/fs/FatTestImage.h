// Helpers for the FAT tests: a private temporary directory, disk images
// made by mkfs.fat and filled by mtools (the real peers we check against),
// and fsck.fat as the judge of consistency.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace fat_test {

struct CommandResult {
    int status { -1 };
    std::string output;
};

// Runs a shell command, capturing stdout and stderr together.
inline CommandResult run(const std::string& command)
{
    CommandResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return result;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
        result.output.append(buffer, n);
    int status = pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string quote(const std::string& text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

inline std::vector<uint8_t> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

inline void write_file(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

inline std::vector<uint8_t> random_bytes(size_t size, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<uint8_t> bytes(size);
    for (auto& byte : bytes)
        byte = uint8_t(rng());
    return bytes;
}

inline std::vector<uint8_t> text_bytes(const std::string& text) { return { text.begin(), text.end() }; }

// A temporary directory per test, removed afterwards, so tests may run in
// parallel.
class TempDir {
public:
    TempDir()
    {
        char pattern[] = "/tmp/fluid-fat-XXXXXX";
        const char* made = mkdtemp(pattern);
        m_path = made ? made : "";
    }
    ~TempDir()
    {
        if (!m_path.empty())
            std::filesystem::remove_all(m_path);
    }
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

// An image file in a TempDir, plus mtools and fsck.fat on it.
class Image {
public:
    explicit Image(const TempDir& dir, const std::string& name = "fat.img")
        : m_dir(dir)
        , m_path(dir.file(name))
    {
    }

    // mkfs.fat -F 16 with a fixed volume id, so runs are reproducible.
    void format(unsigned size_kib, const std::string& options = "")
    {
        auto result = run("mkfs.fat -F 16 -C -i 12345678 -n FLUID " + options + " " + quote(m_path) + " "
                          + std::to_string(size_kib));
        ASSERT_EQ(result.status, 0) << result.output;
    }
    void mmd(const std::string& dir) { mtool("mmd -i " + quote(m_path) + " " + quote("::" + dir)); }
    void put(const std::string& path, const std::vector<uint8_t>& bytes)
    {
        std::string source = m_dir.file("source.bin");
        write_file(source, bytes);
        mtool("mcopy -o -i " + quote(m_path) + " " + quote(source) + " " + quote("::" + path));
    }
    // The bytes mtools reads at `path`; status != 0 if it cannot.
    CommandResult get(const std::string& path, std::vector<uint8_t>& bytes)
    {
        std::string target = m_dir.file("target.bin");
        std::filesystem::remove(target);
        auto result = run(env() + "mcopy -n -i " + quote(m_path) + " " + quote("::" + path) + " " + quote(target));
        bytes = read_file(target);
        return result;
    }
    // "mdir -b": one full path per line, directories with a trailing '/'.
    CommandResult mdir(const std::string& dir)
    {
        return run(env() + "mdir -b -i " + quote(m_path) + " " + quote("::" + dir));
    }
    CommandResult fsck() { return run("fsck.fat -n " + quote(m_path)); }

    std::vector<uint8_t> load() const { return read_file(m_path); }
    void save(const std::vector<uint8_t>& bytes) const { write_file(m_path, bytes); }
    const std::string& path() const { return m_path; }

private:
    static std::string env() { return "MTOOLS_SKIP_CHECK=1 MTOOLS_NO_VFAT=0 "; }
    void mtool(const std::string& command)
    {
        auto result = run(env() + command);
        ASSERT_EQ(result.status, 0) << command << "\n" << result.output;
    }

    const TempDir& m_dir;
    std::string m_path;
};

} // namespace fat_test
