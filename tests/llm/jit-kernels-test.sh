#!/bin/sh
# fluid-host generate with the JIT-compiled kernels (modules/llm/*.bc) gives
# the same token ids as with the native kernels, on one mkmodel model:
#   jit-kernels-test.sh FLUID_HOST MKMODEL LLM_MODULES_DIR WORKDIR NAME [--portable] -- MKMODEL_ARGS...
# Also checks that the JIT'd kernels were called (their call counts), so a
# binding that silently fell back to native code cannot pass.
set -eu
fluid_host=$1 mkmodel=$2 modules=$3 work=$4 name=$5
shift 5
extra=""
if [ "${1:-}" = "--portable" ]; then extra=--portable; shift; fi
[ "${1:-}" = "--" ] && shift
mkdir -p "$work"
model=$work/$name.gguf
"$mkmodel" --out "$model" "$@" >/dev/null
prompt="Once upon a time, the quick brown fox"
native=$("$fluid_host" generate "$model" "$prompt" --tokens 24 --ids --ignore-eos --threads 2 $extra 2>"$work/$name.native.err")
jit=$("$fluid_host" generate "$model" "$prompt" --tokens 24 --ids --ignore-eos --threads 2 $extra \
      --jit-kernels "$modules" 2>"$work/$name.jit.err")
echo "native: $native"
echo "jit:    $jit"
cat "$work/$name.jit.err"
if [ "$native" != "$jit" ]; then
    echo "FAIL: token ids differ between native and JIT kernels"
    exit 1
fi
# Every kernel the forward pass uses must have been called through the JIT.
for entry in rms_norm rope silu_mul attention_head; do
    if ! grep -Eq " $entry O[0-3] \([1-9][0-9]* calls\)" "$work/$name.jit.err"; then
        echo "FAIL: $entry was not called through the JIT"
        exit 1
    fi
done
echo "PASS: identical token ids"
