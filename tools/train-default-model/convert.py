"""Writes a trained checkpoint as a GGUF v3 file (llama architecture).

usage: convert.py WORKDIR OUT.gguf
Matrices go out as F16, norms as F32, with every llama.* key that llama.cpp
and llm/LlamaConfig read and the tokenizer.ggml.* vocabulary from vocab.json.
The layout follows the GGUF specification (ggml's docs/gguf.md): header,
key/value pairs, tensor infos, then the tensor data, each tensor at an offset
aligned to general.alignment. A torch Linear weight (out, in) in row-major
order is exactly the GGUF tensor ne = [in, out].
"""
import json
import os
import struct
import sys

import numpy
import torch

ALIGNMENT = 32
GGUF_MAGIC = 0x46554747  # "GGUF" read as a little-endian uint32
# gguf_type
UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY = 4, 5, 6, 7, 8, 9
# ggml_type
GGML_F32, GGML_F16 = 0, 1
LLAMA_FTYPE_MOSTLY_F16 = 1


class GgufWriter:
    def __init__(self):
        self.metadata = bytearray()
        self.count = 0
        self.tensors = []  # (name, dims, ggml type, bytes)

    @staticmethod
    def string(value):
        data = value.encode("utf-8")
        return struct.pack("<Q", len(data)) + data

    def key(self, name, kind):
        self.metadata += self.string(name) + struct.pack("<I", kind)
        self.count += 1

    def add_string(self, name, value):
        self.key(name, STRING)
        self.metadata += self.string(value)

    def add_u32(self, name, value):
        self.key(name, UINT32)
        self.metadata += struct.pack("<I", value)

    def add_f32(self, name, value):
        self.key(name, FLOAT32)
        self.metadata += struct.pack("<f", value)

    def add_bool(self, name, value):
        self.key(name, BOOL)
        self.metadata += struct.pack("<B", 1 if value else 0)

    def add_array(self, name, kind, values):
        self.key(name, ARRAY)
        self.metadata += struct.pack("<IQ", kind, len(values))
        for value in values:
            if kind == STRING:
                self.metadata += self.string(value)
            elif kind == FLOAT32:
                self.metadata += struct.pack("<f", value)
            else:
                self.metadata += struct.pack("<i", value)

    def add_tensor(self, name, weight, ggml_type):
        array = weight.detach().float().numpy()
        data = array.astype(numpy.float16 if ggml_type == GGML_F16 else numpy.float32).tobytes(order="C")
        dims = list(reversed(array.shape))  # ne[0] is the fastest-varying (innermost) dimension
        self.tensors.append((name, dims, ggml_type, data))

    def write(self, path):
        def pad(size):
            return (ALIGNMENT - size % ALIGNMENT) % ALIGNMENT

        head = bytearray(struct.pack("<IIQQ", GGUF_MAGIC, 3, len(self.tensors), self.count))
        head += self.metadata
        offset = 0
        for name, dims, ggml_type, data in self.tensors:
            head += self.string(name) + struct.pack("<I", len(dims))
            head += b"".join(struct.pack("<Q", d) for d in dims)
            head += struct.pack("<IQ", ggml_type, offset)
            offset += len(data) + pad(len(data))
        head += bytes(pad(len(head)))
        with open(path + ".tmp", "wb") as out:
            out.write(head)
            for _, _, _, data in self.tensors:
                out.write(data + bytes(pad(len(data))))
        os.replace(path + ".tmp", path)


def convert(workdir, out_path):
    checkpoint = torch.load(os.path.join(workdir, "checkpoint.pt"))
    with open(os.path.join(workdir, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    c = checkpoint["config"]
    state = checkpoint["model"]
    assert len(vocab["tokens"]) == c["vocab"]
    head_dim = c["dim"] // c["heads"]

    gguf = GgufWriter()
    gguf.add_string("general.architecture", "llama")
    gguf.add_string("general.name", "fluid-default-kjv")
    gguf.add_string("general.description",
                    "Fluid's embedded default model: a %d-layer Llama trained from scratch on the King James Bible "
                    "(Debian package bible-kjv-text) by tools/train-default-model, seed %d, %d of %d steps"
                    % (c["layers"], checkpoint["seed"], checkpoint["step"], checkpoint["steps"]))
    gguf.add_u32("general.file_type", LLAMA_FTYPE_MOSTLY_F16)
    gguf.add_u32("general.alignment", ALIGNMENT)
    gguf.add_u32("llama.context_length", c["context"])
    gguf.add_u32("llama.embedding_length", c["dim"])
    gguf.add_u32("llama.block_count", c["layers"])
    gguf.add_u32("llama.feed_forward_length", c["ffn"])
    gguf.add_u32("llama.rope.dimension_count", head_dim)
    gguf.add_u32("llama.attention.head_count", c["heads"])
    gguf.add_u32("llama.attention.head_count_kv", c["kv_heads"])
    gguf.add_f32("llama.attention.layer_norm_rms_epsilon", c["eps"])
    gguf.add_f32("llama.rope.freq_base", c["rope_base"])
    gguf.add_u32("llama.vocab_size", c["vocab"])
    gguf.add_string("tokenizer.ggml.model", "llama")
    gguf.add_array("tokenizer.ggml.tokens", STRING, vocab["tokens"])
    gguf.add_array("tokenizer.ggml.scores", FLOAT32, vocab["scores"])
    gguf.add_array("tokenizer.ggml.token_type", INT32, vocab["types"])
    gguf.add_u32("tokenizer.ggml.unknown_token_id", 0)
    gguf.add_u32("tokenizer.ggml.bos_token_id", 1)
    gguf.add_u32("tokenizer.ggml.eos_token_id", 2)
    gguf.add_bool("tokenizer.ggml.add_bos_token", True)
    gguf.add_bool("tokenizer.ggml.add_eos_token", False)

    gguf.add_tensor("token_embd.weight", state["embed.weight"], GGML_F16)
    names = [("attn_norm", "attn_norm.weight", GGML_F32), ("attn_q", "wq.weight", GGML_F16),
             ("attn_k", "wk.weight", GGML_F16), ("attn_v", "wv.weight", GGML_F16),
             ("attn_output", "wo.weight", GGML_F16), ("ffn_norm", "ffn_norm.weight", GGML_F32),
             ("ffn_gate", "gate.weight", GGML_F16), ("ffn_up", "up.weight", GGML_F16),
             ("ffn_down", "down.weight", GGML_F16)]
    for layer in range(c["layers"]):
        for gguf_name, torch_name, ggml_type in names:
            gguf.add_tensor("blk.%d.%s.weight" % (layer, gguf_name), state["blocks.%d.%s" % (layer, torch_name)],
                            ggml_type)
    gguf.add_tensor("output_norm.weight", state["norm.weight"], GGML_F32)
    gguf.add_tensor("output.weight", state["output.weight"], GGML_F16)
    gguf.write(out_path)
    print("wrote %s: step %d of %d" % (out_path, checkpoint["step"], checkpoint["steps"]))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: convert.py WORKDIR OUT.gguf")
    convert(sys.argv[1], sys.argv[2])
