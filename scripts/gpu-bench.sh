#!/usr/bin/env bash
# GPU throughput in one command: builds callqa with the `cuda` feature (whisper.cpp's CUDA
# backend), makes sure the models are there, and scores calls with N jobs sharing one model on one
# GPU (one whisper.cpp context, a state per call in flight), printing × real time, the wall time
# and the GPU's peak memory (nvidia-smi, sampled every 0.2 s).
#
#   scripts/gpu-bench.sh [--jobs N[,N...]] [--model tiny.en|base|PATH] [--copies K] [CALL...]
#
# Needs: a CUDA toolkit (nvcc on PATH, or CUDA_PATH; on Debian `nvidia-cuda-toolkit` from
# non-free — this script installs it when apt can), an NVIDIA driver, the Rust toolchain.
# Without calls it takes the generated corpus (corpus/audio, see scripts/make_corpus.py) or, when
# that is absent, samples/. --copies K lists every call K times under distinct names (copies in
# a temporary folder with bytes appended, so none is skipped as a duplicate) to give
# the GPU enough work. Default: --jobs 1,4,8,16 --model base --copies 1.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs_list="1,4,8,16" model="base" copies=1 calls=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs_list="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --copies) copies="$2"; shift 2 ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) calls+=("$1"); shift ;;
  esac
done
log() { printf '\033[1m[gpu-bench]\033[0m %s\n' "$*" >&2; }

if ! command -v nvcc >/dev/null 2>&1 && [ -z "${CUDA_PATH:-}" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    log "installing the CUDA toolkit (Debian non-free: nvidia-cuda-toolkit)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    src=/etc/apt/sources.list.d/debian.sources
    if [ -f "$src" ] && ! grep -q 'non-free' "$src"; then
      $SUDO sed -i 's/^Components: main$/Components: main contrib non-free non-free-firmware/' "$src"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nvidia-cuda-toolkit >/dev/null
  else
    echo "gpu-bench: no nvcc and no apt-get: install a CUDA toolkit first" >&2; exit 1
  fi
fi

# A target directory of its own: whisper-rs-sys does not rebuild when features change.
export CARGO_TARGET_DIR=target/cuda
log "building callqa with --features cuda (first build compiles whisper.cpp's CUDA kernels)"
cargo build --release --locked --features cuda
CALLQA=target/cuda/release/callqa

[ -f models/ggml-tiny.en.bin ] && [ -f models/ggml-base.bin ] || ./scripts/setup.sh --multilingual

if [ ${#calls[@]} -eq 0 ]; then
  if compgen -G "corpus/audio/*.json" >/dev/null; then
    mapfile -t calls < <(ls corpus/audio/* | grep -v '\.json$')
  else
    mapfile -t calls < <(ls samples/*.wav samples/*.mp3 samples/*.flac samples/*.ogg 2>/dev/null)
  fi
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
inputs=()
for k in $(seq 1 "$copies"); do
  for f in "${calls[@]}"; do
    # A copy with one byte appended is another file (another hash) that decodes the same.
    dst="$work/copy${k}_$(basename "$f")"
    cp "$f" "$dst"
    [ "$k" -eq 1 ] || printf '\0%.0s' $(seq 1 "$k") >>"$dst"
    inputs+=("$dst")
  done
done
seconds=$(python3 -c '
import subprocess, sys
total = 0.0
for f in sys.argv[1:]:
    out = subprocess.run(["soxi", "-D", f], capture_output=True, text=True).stdout.strip()
    total += float(out or 0)
print(f"{total:.1f}")' "${inputs[@]}" 2>/dev/null || echo 0)
log "${#inputs[@]} calls, ${seconds} s of audio, model $model"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true

printf '| jobs | wall (s) | × real time | GPU memory peak (MiB) |\n|---|---|---|---|\n'
IFS=, read -ra jobs_arr <<<"$jobs_list"
for j in "${jobs_arr[@]}"; do
  db="$work/gpu-$j.db"
  peak_file="$work/peak-$j"
  echo 0 >"$peak_file"
  ( while true; do
      m=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits 2>/dev/null | head -1 || echo 0)
      p=$(cat "$peak_file"); [ "${m:-0}" -gt "$p" ] && echo "$m" >"$peak_file"
      sleep 0.2
    done ) &
  sampler=$!
  t0=$(date +%s.%N)
  "$CALLQA" -q --db "$db" --model "$model" --jobs "$j" score --device gpu "${inputs[@]}" \
    >/dev/null || log "jobs $j: some files failed (see above)"
  t1=$(date +%s.%N)
  kill "$sampler" 2>/dev/null || true
  python3 -c "
import sys
wall = float(sys.argv[2]) - float(sys.argv[1]); audio = float(sys.argv[3])
print(f'| {sys.argv[4]} | {wall:.1f} | {audio / wall:.0f} | {open(sys.argv[5]).read().strip()} |')" \
    "$t0" "$t1" "$seconds" "$j" "$peak_file"
done
