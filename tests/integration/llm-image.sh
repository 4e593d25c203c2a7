#!/bin/sh
# llm-image.sh MKMODEL SOURCE_IMAGE OUT_IMAGE MODELS_DIR
# The image of the kernel LLM test (LlmTest.cpp): a copy of SOURCE_IMAGE
# with small generated models in /models, one of each kind the test needs:
#   f32.gguf   F32, 4 heads / 4 KV heads
#   q8_0.gguf  Q8_0, 4 heads / 2 KV heads
#   q4_k.gguf  Q4_K_M mix, 4 heads / 1 KV head (K-quants need 256-wide rows)
#   trunc.gguf the Q8_0 file cut in half (tensor data past the end)
#   hugectx.gguf a model that allows 8M positions: asked for them, its KV
#              cache cannot fit in the VM's memory
set -eu
mkmodel=$1 source=$2 out=$3 dir=$4
mkdir -p "$dir"
"$mkmodel" --out "$dir/f32.gguf" --type f32 --dim 64 --layers 2 --heads 4 --kv-heads 4 --ffn 128 --seed 21
"$mkmodel" --out "$dir/q8_0.gguf" --type q8_0 --dim 64 --layers 2 --heads 4 --kv-heads 2 --ffn 128 --seed 22
"$mkmodel" --out "$dir/q4_k.gguf" --type q4_k --dim 256 --layers 2 --heads 4 --kv-heads 1 --ffn 512 --seed 23
size=$(stat -c %s "$dir/q8_0.gguf")
head -c $((size / 2)) "$dir/q8_0.gguf" >"$dir/trunc.gguf"
"$mkmodel" --out "$dir/hugectx.gguf" --type q8_0 --dim 64 --layers 2 --heads 4 --kv-heads 4 --ffn 128 \
    --context 8388608 --seed 24
cp --sparse=always "$source" "$out"
tools_dir=$(cd "$(dirname "$0")/../../tools" && pwd)
"$tools_dir/mkimage.sh" --update --out "$out" --add "$dir/f32.gguf" --add "$dir/q8_0.gguf" \
    --add "$dir/q4_k.gguf" --add "$dir/trunc.gguf" --add "$dir/hugectx.gguf"
