#!/bin/sh
# Retrains Fluid's embedded default model from scratch and writes it as GGUF.
#
#   tools/train-default-model/train.sh [WORKDIR] [OUT.gguf]
#
# WORKDIR (default: build-default-model/) keeps the corpus, the vocabulary,
# the token ids and checkpoint.pt; a rerun resumes from the checkpoint.
# OUT defaults to models/default.gguf. Installs its Debian packages when
# they are missing: python3-torch (1.13, with numpy), libopenblas0-serial
# (Debian's torch calls the system BLAS; the reference BLAS is about 4x
# slower) and bible-kjv (the `bible` program that prints the text that
# bible-kjv-text ships). One CPU thread, about an hour on a shared core.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
workdir=${1:-$root/build-default-model}
out=${2:-$root/models/default.gguf}
# Debian's python3 (a python3 earlier in PATH, e.g. pyenv's, has no torch).
python=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1

missing=""
"$python" -c "import torch, numpy" 2>/dev/null || missing="$missing python3-torch python3-numpy"
dpkg -s libopenblas0-serial >/dev/null 2>&1 || dpkg -s libopenblas0-pthread >/dev/null 2>&1 \
    || missing="$missing libopenblas0-serial"
command -v bible >/dev/null 2>&1 || missing="$missing bible-kjv bible-kjv-text"
if [ -n "$missing" ]; then
    apt-get update
    apt-get install -y --no-install-recommends $missing
fi

mkdir -p "$workdir" "$(dirname "$out")"
"$python" "$here/train.py" "$workdir" --steps 800 --seed 8
"$python" "$here/convert.py" "$workdir" "$out"
