#include "llm/GgufFile.h"

#include "llm/ByteReader.h"

#include <cinttypes>

namespace fluid::llm {

// Arrays of arrays are legal GGUF but nobody writes deep ones; the limit
// keeps a hostile file from recursing the stack away.
static constexpr int max_array_depth = 4;
// ggml's GGML_MAX_NAME: llama.cpp refuses longer tensor names too.
static constexpr size_t max_tensor_name = 63;

static int printable_length(std::string_view text)
{
    return static_cast<int>(text.size() < 64 ? text.size() : 64);
}

static ErrorOr<void> parse_value(ByteReader& reader, GgufValueType type, GgufValue& value, int depth,
                                 std::string_view key)
{
    value.type = type;
    size_t start = reader.offset();
    switch (type) {
    case GgufValueType::UInt8: value.u64 = TRY(reader.read<uint8_t>("u8 value")); break;
    case GgufValueType::Int8: value.i64 = TRY(reader.read<int8_t>("i8 value")); break;
    case GgufValueType::UInt16: value.u64 = TRY(reader.read<uint16_t>("u16 value")); break;
    case GgufValueType::Int16: value.i64 = TRY(reader.read<int16_t>("i16 value")); break;
    case GgufValueType::UInt32: value.u64 = TRY(reader.read<uint32_t>("u32 value")); break;
    case GgufValueType::Int32: value.i64 = TRY(reader.read<int32_t>("i32 value")); break;
    case GgufValueType::UInt64: value.u64 = TRY(reader.read<uint64_t>("u64 value")); break;
    case GgufValueType::Int64: value.i64 = TRY(reader.read<int64_t>("i64 value")); break;
    case GgufValueType::Float32: value.f64 = TRY(reader.read<float>("f32 value")); break;
    case GgufValueType::Float64: value.f64 = TRY(reader.read<double>("f64 value")); break;
    case GgufValueType::Bool: {
        auto byte = TRY(reader.read<uint8_t>("bool value"));
        if (byte > 1) {
            return Error::format(ErrorCode::Invalid, "GGUF: key '%.*s': bool value %u at offset %zu is not 0 or 1",
                                 printable_length(key), key.data(), byte, start);
        }
        value.u64 = byte;
        break;
    }
    case GgufValueType::String: value.string = TRY(reader.read_string("string value")); break;
    case GgufValueType::Array: {
        if (depth >= max_array_depth) {
            return Error::format(ErrorCode::Unsupported, "GGUF: key '%.*s': arrays nested deeper than %d at offset %zu",
                                 printable_length(key), key.data(), max_array_depth, start);
        }
        auto raw_type = TRY(reader.read<uint32_t>("array element type"));
        if (raw_type >= gguf_value_type_count) {
            return Error::format(ErrorCode::Invalid, "GGUF: key '%.*s': unknown array element type %u at offset %zu",
                                 printable_length(key), key.data(), raw_type, start);
        }
        value.element_type = static_cast<GgufValueType>(raw_type);
        value.count = TRY(reader.read<uint64_t>("array length"));
        value.elements = reader.data() + reader.offset();
        if (size_t element_size = gguf_scalar_size(value.element_type)) {
            TRY(reader.skip(value.count, element_size, "array"));
            if (value.element_type == GgufValueType::Bool) {
                for (uint64_t i = 0; i < value.count; ++i) {
                    if (value.elements[i] > 1) {
                        return Error::format(ErrorCode::Invalid,
                                             "GGUF: key '%.*s': bool element %" PRIu64 " at offset %zu is not 0 or 1",
                                             printable_length(key), key.data(), i,
                                             static_cast<size_t>(value.elements + i - reader.data()));
                    }
                }
            }
            break;
        }
        // Variable-size elements take at least their 8-byte length (or
        // 12-byte array header): a count larger than that is a lie, caught
        // before anything is reserved for it.
        size_t minimum = value.element_type == GgufValueType::String ? 8 : 12;
        if (value.count > reader.remaining() / minimum) {
            return Error::format(ErrorCode::Invalid,
                                 "GGUF: key '%.*s': array length %" PRIu64 " at offset %zu exceeds file size %zu",
                                 printable_length(key), key.data(), value.count, start, reader.size());
        }
        if (value.element_type == GgufValueType::String) {
            value.strings.reserve(value.count);
            for (uint64_t i = 0; i < value.count; ++i)
                value.strings.push_back(TRY(reader.read_string("string array element")));
        } else {
            for (uint64_t i = 0; i < value.count; ++i) {
                GgufValue element;
                TRY(parse_value(reader, GgufValueType::Array, element, depth + 1, key));
            }
        }
        break;
    }
    }
    if (type == GgufValueType::Int8 || type == GgufValueType::Int16 || type == GgufValueType::Int32
        || type == GgufValueType::Int64)
        value.u64 = static_cast<uint64_t>(value.i64);
    else if (value.is_integer())
        value.i64 = static_cast<int64_t>(value.u64);
    return {};
}

ErrorOr<GgufFile> GgufFile::open(const uint8_t* data, size_t size)
{
    GgufFile file;
    file.m_data = data;
    file.m_size = size;
    file.m_available = size;
    TRY(file.parse());
    return file;
}

ErrorOr<GgufFile> GgufFile::open_header(const uint8_t* data, size_t available, size_t file_size)
{
    if (available > file_size)
        return Error::from(ErrorCode::Invalid, "GGUF: header prefix longer than the file");
    GgufFile file;
    file.m_data = data;
    file.m_size = file_size;
    file.m_available = available;
    TRY(file.parse());
    return file;
}

ErrorOr<void> GgufFile::parse()
{
    ByteReader reader(m_data, m_available);
    auto header = TRY(reader.read<GgufHeader>("header"));
    if (header.magic != gguf_magic)
        return Error::format(ErrorCode::Invalid, "GGUF: bad magic 0x%08x at offset 0 (want \"GGUF\")", header.magic);
    if (header.version != 2 && header.version != 3)
        return Error::format(ErrorCode::Unsupported, "GGUF: version %u at offset 4 (only 2 and 3)", header.version);
    m_version = header.version;

    // Each key-value pair takes at least 12 bytes and each tensor info 24,
    // so larger counts cannot be true; checking first bounds the reserve.
    if (header.metadata_kv_count > reader.remaining() / 12) {
        return Error::format(ErrorCode::Invalid, "GGUF: metadata count %" PRIu64 " at offset 16 exceeds file size %zu",
                             header.metadata_kv_count, m_size);
    }
    if (header.tensor_count > reader.remaining() / 24) {
        return Error::format(ErrorCode::Invalid, "GGUF: tensor count %" PRIu64 " at offset 8 exceeds file size %zu",
                             header.tensor_count, m_size);
    }

    m_metadata.reserve(header.metadata_kv_count);
    for (uint64_t i = 0; i < header.metadata_kv_count; ++i) {
        size_t start = reader.offset();
        GgufKeyValue kv;
        kv.key = TRY(reader.read_string("metadata key"));
        if (find(kv.key)) {
            return Error::format(ErrorCode::Invalid, "GGUF: duplicate key '%.*s' at offset %zu",
                                 printable_length(kv.key), kv.key.data(), start);
        }
        size_t type_offset = reader.offset();
        auto raw_type = TRY(reader.read<uint32_t>("metadata value type"));
        if (raw_type >= gguf_value_type_count) {
            return Error::format(ErrorCode::Invalid, "GGUF: key '%.*s': unknown value type %u at offset %zu",
                                 printable_length(kv.key), kv.key.data(), raw_type, type_offset);
        }
        TRY(parse_value(reader, static_cast<GgufValueType>(raw_type), kv.value, 0, kv.key));
        m_metadata.push_back(std::move(kv));
    }

    if (auto* alignment = find("general.alignment")) {
        if (alignment->type != GgufValueType::UInt32)
            return Error::from(ErrorCode::Invalid, "GGUF: general.alignment is not a u32");
        if (alignment->u64 == 0 || (alignment->u64 & (alignment->u64 - 1)) != 0) {
            return Error::format(ErrorCode::Invalid, "GGUF: general.alignment %" PRIu64 " is not a power of two",
                                 alignment->u64);
        }
        m_alignment = alignment->u64;
    }

    m_tensors.reserve(header.tensor_count);
    for (uint64_t i = 0; i < header.tensor_count; ++i) {
        size_t start = reader.offset();
        GgufTensor tensor;
        tensor.name = TRY(reader.read_string("tensor name"));
        int name_length = printable_length(tensor.name);
        if (tensor.name.size() > max_tensor_name) {
            return Error::format(ErrorCode::Invalid, "GGUF: tensor %" PRIu64 " at offset %zu: name of %zu bytes (max %zu)",
                                 i, start, tensor.name.size(), max_tensor_name);
        }
        if (find_tensor(tensor.name)) {
            return Error::format(ErrorCode::Invalid, "GGUF: duplicate tensor '%.*s' at offset %zu", name_length,
                                 tensor.name.data(), start);
        }
        tensor.n_dims = TRY(reader.read<uint32_t>("tensor dimension count"));
        if (tensor.n_dims == 0 || tensor.n_dims > gguf_max_dims) {
            return Error::format(ErrorCode::Invalid, "GGUF: tensor '%.*s' at offset %zu: %u dimensions (1..%u)",
                                 name_length, tensor.name.data(), start, tensor.n_dims, gguf_max_dims);
        }
        tensor.elements = 1;
        for (uint32_t d = 0; d < tensor.n_dims; ++d) {
            tensor.dims[d] = TRY(reader.read<uint64_t>("tensor dimension"));
            // Every extent must be positive and the element count must fit
            // comfortably in 63 bits (ggml uses int64_t for them).
            if (tensor.dims[d] == 0 || tensor.dims[d] > (uint64_t(1) << 62) / tensor.elements) {
                return Error::format(ErrorCode::Invalid, "GGUF: tensor '%.*s': dimension %u = %" PRIu64 " is out of range",
                                     name_length, tensor.name.data(), d, tensor.dims[d]);
            }
            tensor.elements *= tensor.dims[d];
        }
        size_t type_offset = reader.offset();
        auto raw_type = TRY(reader.read<uint32_t>("tensor type"));
        auto* info = ggml_type_info(raw_type);
        if (!info) {
            return Error::format(ErrorCode::Invalid, "GGUF: tensor '%.*s': unknown type %u at offset %zu", name_length,
                                 tensor.name.data(), raw_type, type_offset);
        }
        tensor.type = static_cast<GgmlType>(raw_type);
        if (tensor.dims[0] % info->block_elements != 0) {
            return Error::format(ErrorCode::Invalid, "GGUF: tensor '%.*s': row of %" PRIu64 " elements is not whole %s blocks of %u",
                                 name_length, tensor.name.data(), tensor.dims[0], info->name, info->block_elements);
        }
        tensor.bytes = tensor.elements / info->block_elements * info->block_bytes;
        tensor.offset = TRY(reader.read<uint64_t>("tensor data offset"));
        if (tensor.offset % m_alignment != 0) {
            return Error::format(ErrorCode::Invalid, "GGUF: tensor '%.*s': data offset %" PRIu64 " is not a multiple of the alignment %" PRIu64,
                                 name_length, tensor.name.data(), tensor.offset, m_alignment);
        }
        m_tensors.push_back(tensor);
    }

    uint64_t end_of_infos = reader.offset();
    m_data_offset = (end_of_infos + m_alignment - 1) / m_alignment * m_alignment;
    for (auto& tensor : m_tensors) {
        int name_length = printable_length(tensor.name);
        // Compare without adding first: the offsets come from the file and
        // may be chosen to overflow.
        bool fits = m_data_offset <= m_size && tensor.offset <= m_size - m_data_offset
            && tensor.bytes <= m_size - m_data_offset - tensor.offset;
        if (!fits) {
            uint64_t begin = m_data_offset + tensor.offset;
            uint64_t end = begin + tensor.bytes;
            if (tensor.offset > UINT64_MAX - m_data_offset || begin > UINT64_MAX - tensor.bytes) {
                return Error::format(ErrorCode::Invalid, "GGUF: tensor '%.*s': data offset %" PRIu64 " overflows",
                                     name_length, tensor.name.data(), tensor.offset);
            }
            return Error::format(ErrorCode::Invalid, "GGUF: tensor '%.*s': data [%" PRIu64 ", %" PRIu64 ") past end of file (size %zu)",
                                 name_length, tensor.name.data(), begin, end, m_size);
        }
        tensor.data = m_available == m_size ? m_data + m_data_offset + tensor.offset : nullptr;
    }
    return {};
}

const GgufValue* GgufFile::find(std::string_view key) const
{
    for (auto& kv : m_metadata) {
        if (kv.key == key)
            return &kv.value;
    }
    return nullptr;
}

const GgufTensor* GgufFile::find_tensor(std::string_view name) const
{
    for (auto& tensor : m_tensors) {
        if (tensor.name == name)
            return &tensor;
    }
    return nullptr;
}

static Error missing(std::string_view key)
{
    return Error::format(ErrorCode::NotFound, "GGUF: no key '%.*s'", printable_length(key), key.data());
}

static Error wrong_type(std::string_view key, const GgufValue& value, const char* want)
{
    return Error::format(ErrorCode::Invalid, "GGUF: key '%.*s' is %s, want %s", printable_length(key), key.data(),
                         gguf_value_type_name(value.type), want);
}

ErrorOr<uint64_t> GgufFile::get_uint(std::string_view key) const
{
    auto* value = find(key);
    if (!value)
        return missing(key);
    if (!value->is_integer() || value->type == GgufValueType::Bool)
        return wrong_type(key, *value, "an integer");
    if (value->i64 < 0 && value->type != GgufValueType::UInt64)
        return Error::format(ErrorCode::Invalid, "GGUF: key '%.*s' is negative", printable_length(key), key.data());
    return value->u64;
}

ErrorOr<float> GgufFile::get_float(std::string_view key) const
{
    auto* value = find(key);
    if (!value)
        return missing(key);
    if (!value->is_float())
        return wrong_type(key, *value, "a float");
    return static_cast<float>(value->f64);
}

ErrorOr<std::string_view> GgufFile::get_string(std::string_view key) const
{
    auto* value = find(key);
    if (!value)
        return missing(key);
    if (value->type != GgufValueType::String)
        return wrong_type(key, *value, "a string");
    return value->string;
}

ErrorOr<const GgufValue*> GgufFile::get_array(std::string_view key, GgufValueType element_type) const
{
    auto* value = find(key);
    if (!value)
        return missing(key);
    if (!value->is_array())
        return wrong_type(key, *value, "an array");
    if (value->element_type != element_type) {
        return Error::format(ErrorCode::Invalid, "GGUF: key '%.*s' is an array of %s, want %s", printable_length(key),
                             key.data(), gguf_value_type_name(value->element_type), gguf_value_type_name(element_type));
    }
    return value;
}

ErrorOr<uint64_t> GgufFile::get_uint_or(std::string_view key, uint64_t fallback) const
{
    return find(key) ? get_uint(key) : ErrorOr<uint64_t>(fallback);
}

ErrorOr<float> GgufFile::get_float_or(std::string_view key, float fallback) const
{
    return find(key) ? get_float(key) : ErrorOr<float>(fallback);
}

ErrorOr<bool> GgufFile::get_bool_or(std::string_view key, bool fallback) const
{
    auto* value = find(key);
    if (!value)
        return fallback;
    if (value->type != GgufValueType::Bool)
        return wrong_type(key, *value, "a bool");
    return value->u64 != 0;
}

} // namespace fluid::llm
