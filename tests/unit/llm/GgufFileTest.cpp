#include "llm/GgufFile.h"

#include "tests/unit/llm/GgufBuilder.h"

#include <gtest/gtest.h>
#include <string>

using namespace fluid;
using namespace fluid::llm;
using fluid::llm::test::GgufBuilder;

namespace {

// A file with one of each value type, a string array, a custom alignment
// and two tensors, the second one padded to the alignment.
GgufBuilder valid_file()
{
    GgufBuilder b;
    b.header(2, 9);
    b.kv_string("general.architecture", "llama");
    b.kv_u32("general.alignment", 64);
    b.kv_f32("some.float", 1.5f);
    b.kv_bool("some.bool", true);
    b.key("some.i8", GgufValueType::Int8).put<int8_t>(-5);
    b.key("some.u64", GgufValueType::UInt64).put<uint64_t>(1ull << 40);
    b.key("some.f64", GgufValueType::Float64).put<double>(-2.25);
    b.kv_strings("tokenizer.ggml.tokens", { "<unk>", "a", "\xE2\x96\x81the" });
    b.kv_array<int32_t>("some.ints", GgufValueType::Int32, { 3, -1, 7 });
    b.tensor_info("a.weight", { 4, 2 }, GgmlType::F32, 0);
    b.tensor_info("b.weight", { 32 }, GgmlType::Q8_0, 64);
    b.align(64);
    float a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    b.data(a, sizeof(a));
    b.align(64);
    uint8_t block[34] = {};
    b.data(block, sizeof(block));
    return b;
}

std::string open_error(const std::vector<uint8_t>& bytes)
{
    auto file = GgufFile::open(bytes.data(), bytes.size());
    if (!file.is_error())
        return "";
    return file.error().message();
}

} // namespace

TEST(GgufFile, ParsesEveryValueTypeAndTensor)
{
    auto b = valid_file();
    auto file = GgufFile::open(b.bytes.data(), b.bytes.size());
    ASSERT_FALSE(file.is_error()) << file.error().message();
    EXPECT_EQ(file->version(), 3u);
    EXPECT_EQ(file->alignment(), 64u);
    EXPECT_EQ(file->data_offset() % 64, 0u);
    EXPECT_EQ(file->get_string("general.architecture").value(), "llama");
    EXPECT_FLOAT_EQ(file->get_float("some.float").value(), 1.5f);
    EXPECT_TRUE(file->get_bool_or("some.bool", false).value());
    EXPECT_EQ(file->find("some.i8")->i64, -5);
    EXPECT_EQ(file->get_uint("some.u64").value(), 1ull << 40);
    EXPECT_DOUBLE_EQ(file->find("some.f64")->f64, -2.25);
    auto* tokens = file->get_array("tokenizer.ggml.tokens", GgufValueType::String).value();
    ASSERT_EQ(tokens->strings.size(), 3u);
    EXPECT_EQ(tokens->strings[2], "\xE2\x96\x81the");
    auto* ints = file->get_array("some.ints", GgufValueType::Int32).value();
    EXPECT_EQ(ints->integer_at(1), -1);
    EXPECT_EQ(ints->integer_at(2), 7);

    auto* a = file->find_tensor("a.weight");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->rows(), 2u);
    EXPECT_EQ(a->bytes, 32u);
    float first;
    memcpy(&first, a->data, 4);
    EXPECT_EQ(first, 1.0f);
    auto* q = file->find_tensor("b.weight");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->bytes, 34u);
    EXPECT_EQ(q->data, b.bytes.data() + file->data_offset() + 64);
    EXPECT_EQ(file->find_tensor("c.weight"), nullptr);
}

TEST(GgufFile, TypedLookupsReportMismatches)
{
    auto b = valid_file();
    auto file = GgufFile::open(b.bytes.data(), b.bytes.size());
    ASSERT_FALSE(file.is_error());
    EXPECT_EQ(file->get_uint("missing").error().code(), ErrorCode::NotFound);
    EXPECT_EQ(file->get_uint("some.float").error().code(), ErrorCode::Invalid);
    EXPECT_EQ(file->get_uint("some.i8").error().code(), ErrorCode::Invalid); // negative
    EXPECT_EQ(file->get_float_or("missing", 2.0f).value(), 2.0f);
    EXPECT_TRUE(file->get_string("some.u64").is_error());
    EXPECT_STREQ(file->get_array("some.ints", GgufValueType::Float32).error().message(),
                 "GGUF: key 'some.ints' is an array of i32, want f32");
}

// Every proper prefix of a valid file is refused with an error, never a
// read past the end (ASan would catch one).
TEST(GgufFile, EveryTruncationIsAnError)
{
    auto b = valid_file();
    for (size_t size = 0; size < b.bytes.size(); ++size) {
        std::vector<uint8_t> prefix(b.bytes.begin(), b.bytes.begin() + size);
        EXPECT_NE(open_error(prefix), "") << "prefix of " << size << " bytes";
    }
}

TEST(GgufFile, TensorPastEndNamesTensorAndExtent)
{
    GgufBuilder b;
    b.header(1, 0).tensor_info("blk.0.attn_q.weight", { 32, 4 }, GgmlType::F32, 0).align();
    size_t data_offset = b.bytes.size();
    b.bytes.resize(data_offset + 100);
    EXPECT_EQ(open_error(b.bytes), "GGUF: tensor 'blk.0.attn_q.weight': data [" + std::to_string(data_offset) + ", "
                  + std::to_string(data_offset + 512) + ") past end of file (size "
                  + std::to_string(data_offset + 100) + ")");
}

TEST(GgufFile, RejectsCorruptHeadersAndMetadata)
{
    EXPECT_EQ(open_error(GgufBuilder().put<uint32_t>(0x12345678).put<uint32_t>(3).put<uint64_t>(0).put<uint64_t>(0).bytes),
              "GGUF: bad magic 0x12345678 at offset 0 (want \"GGUF\")");
    EXPECT_EQ(open_error(GgufBuilder().header(0, 0, 1).bytes), "GGUF: version 1 at offset 4 (only 2 and 3)");
    EXPECT_NE(open_error(GgufBuilder().header(0, 0, 2).bytes), "x"); // v2 is accepted
    EXPECT_EQ(open_error(GgufBuilder().header(0, 0, 2).bytes), "");
    EXPECT_EQ(open_error(GgufBuilder().header(0, 1ull << 60).bytes),
              "GGUF: metadata count 1152921504606846976 at offset 16 exceeds file size 24");
    EXPECT_EQ(open_error(GgufBuilder().header(1ull << 60, 0).bytes),
              "GGUF: tensor count 1152921504606846976 at offset 8 exceeds file size 24");
    EXPECT_EQ(open_error(GgufBuilder().header(0, 1).key("k", static_cast<GgufValueType>(13)).put<uint32_t>(0).bytes),
              "GGUF: key 'k': unknown value type 13 at offset 33");
    EXPECT_EQ(open_error(GgufBuilder().header(0, 1).key("k", GgufValueType::Bool).put<uint8_t>(2).bytes),
              "GGUF: key 'k': bool value 2 at offset 37 is not 0 or 1");
    EXPECT_EQ(open_error(GgufBuilder().header(0, 2).kv_u32("k", 1).kv_u32("k", 2).bytes),
              "GGUF: duplicate key 'k' at offset 41");
    EXPECT_EQ(open_error(GgufBuilder().header(0, 1).kv_u32("general.alignment", 24).bytes),
              "GGUF: general.alignment 24 is not a power of two");
    EXPECT_EQ(open_error(GgufBuilder().header(0, 1).kv_f32("general.alignment", 32).bytes),
              "GGUF: general.alignment is not a u32");
    // A string whose length runs past the end.
    EXPECT_EQ(open_error(GgufBuilder().header(0, 1).put<uint64_t>(1000).put<uint64_t>(0).put<uint64_t>(0).bytes),
              "GGUF: metadata key: string length 1000 at offset 24 past end of file (size 48)");
    // An array claiming more elements than the file holds.
    auto huge_array = GgufBuilder().header(0, 1).key("a", GgufValueType::Array).put<uint32_t>(4).put<uint64_t>(1ull << 61);
    EXPECT_EQ(open_error(huge_array.bytes),
              "GGUF: array: 2305843009213693952 elements of 4 bytes at offset 49 past end of file (size 49)");
    auto huge_strings = GgufBuilder().header(0, 1).key("a", GgufValueType::Array).put<uint32_t>(8).put<uint64_t>(1ull << 40);
    EXPECT_EQ(open_error(huge_strings.bytes), "GGUF: key 'a': array length 1099511627776 at offset 37 exceeds file size 49");
}

TEST(GgufFile, RejectsBadTensorInfos)
{
    auto one = [](const std::vector<uint64_t>& dims, uint32_t type, uint64_t offset) {
        GgufBuilder b;
        b.header(1, 0).tensor_info("t", dims, static_cast<GgmlType>(type), offset).align();
        b.bytes.resize(b.bytes.size() + 4096);
        return open_error(b.bytes);
    };
    EXPECT_EQ(one({ 4 }, 0, 0), "");
    EXPECT_EQ(one({ 4 }, 99, 0), "GGUF: tensor 't': unknown type 99 at offset 45");
    EXPECT_EQ(one({ 4 }, 0, 16), "GGUF: tensor 't': data offset 16 is not a multiple of the alignment 32");
    EXPECT_EQ(one({ 33 }, 8, 0), "GGUF: tensor 't': row of 33 elements is not whole Q8_0 blocks of 32");
    EXPECT_EQ(one({ 4, 0 }, 0, 0), "GGUF: tensor 't': dimension 1 = 0 is out of range");
    EXPECT_EQ(one({ 1ull << 40, 1ull << 40 }, 0, 0), "GGUF: tensor 't': dimension 1 = 1099511627776 is out of range");
    EXPECT_EQ(one({ 1, 1, 1, 1, 1 }, 0, 0), "GGUF: tensor 't' at offset 24: 5 dimensions (1..4)");
    EXPECT_EQ(one({ 4 }, 0, UINT64_MAX - 31), "GGUF: tensor 't': data offset 18446744073709551584 overflows");

    GgufBuilder duplicate;
    duplicate.header(2, 0).tensor_info("t", { 4 }, GgmlType::F32, 0).tensor_info("t", { 4 }, GgmlType::F32, 32).align();
    duplicate.bytes.resize(duplicate.bytes.size() + 64);
    EXPECT_EQ(open_error(duplicate.bytes), "GGUF: duplicate tensor 't' at offset 57");

    GgufBuilder long_name;
    long_name.header(1, 0).tensor_info(std::string(64, 'x'), { 4 }, GgmlType::F32, 0);
    EXPECT_EQ(open_error(long_name.bytes), "GGUF: tensor 0 at offset 24: name of 64 bytes (max 63)");
}
