#!/usr/bin/env bash
# callqa's accuracy on the labelled development corpus (corpus/README.md), in one command:
# generate the corpus audio if missing, score every call into a fresh database, link repeat
# calls, export, and compare with the human labels — tuning half and held-out half separately.
#
#   scripts/accuracy.sh [--db PATH] [--out DIR] [--model M] [--jobs N] [--manifest F] [score options...]
#                      (PATH is deleted first: the run starts from an empty database)
#   scripts/accuracy.sh --rescore-only DB [--out DIR] [rescore options, e.g. --rubric DIR]
#
# Examples:
#   scripts/accuracy.sh --db /work/corpus-tiny.db                       # default model (tiny.en)
#   scripts/accuracy.sh --db /work/corpus-base.db --model models/ggml-base.bin --beam 5
#   scripts/accuracy.sh --rescore-only /work/corpus-tiny.db             # after a rubric/logic change
#   scripts/accuracy.sh --db /work/corpus-names.db --manifest corpus/manifest-names.csv
#                                      # with each call's company and agent name (custom vocabulary)
# On a small shared machine add `--jobs 2 --threads 1`: whisper.cpp threads spin-wait, and two
# threads per call on two busy cores ran ~12x slower than one.
#
# --model and --jobs go before callqa's subcommand; every other option goes to `score` (or to
# `rescore` with --rescore-only). --keep-pii is always passed to score so the word error rate
# compares what was said with what was heard (verdicts are the same either way). The report is
# printed as markdown and written to DIR/accuracy.md and DIR/accuracy.json (default: next to the
# database, <db>.accuracy.md/.json). With tiny.en (English only) the Hebrew, Arabic and Russian
# calls fail with "needs a multilingual model" and are listed as not scored.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DB="$ROOT/corpus/corpus.db"
MANIFEST=corpus/manifest.csv
RESCORE_ONLY=""
OUT=""
GLOBAL=()
PASS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --db) DB="$2"; shift 2 ;;
        --rescore-only) RESCORE_ONLY=1; DB="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --manifest) MANIFEST="$2"; shift 2 ;;
        --model|--jobs|-j|--log-format) GLOBAL+=("$1" "$2"); shift 2 ;;
        --model=*|--jobs=*) GLOBAL+=("$1"); shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | grep '^#'; exit 0 ;;
        *) PASS+=("$1"); shift ;;
    esac
done
DB="$(realpath -m "$DB")"
STEM="${OUT:+$OUT/accuracy}"
STEM="${STEM:-${DB%.db}.accuracy}"
[[ -n "$OUT" ]] && mkdir -p "$OUT"

CALLQA="$ROOT/target/release/callqa"
if [[ ! -x "$CALLQA" ]]; then
    echo "accuracy: building callqa (release)" >&2
    cargo build --release --locked
fi

step() { echo "accuracy: $(date +%H:%M:%S) $*" >&2; }

if [[ -z "$RESCORE_ONLY" ]]; then
    step "corpus audio (generated only where missing)"
    python3 scripts/make_corpus.py audio
    rm -f "$DB" "$DB-wal" "$DB-shm"
    step "score -> $DB ${GLOBAL[*]:-} ${PASS[*]:-}"
    start=$(date +%s)
    # Exit 1 = some files failed (e.g. non-English calls under an English-only model): the
    # report lists them, so it is not fatal here.
    set +e
    "$CALLQA" --db "$DB" "${GLOBAL[@]}" score --manifest "$MANIFEST" --keep-pii "${PASS[@]}"
    rc=$?
    set -e
    [[ $rc -le 1 ]] || { echo "accuracy: score failed (exit $rc)" >&2; exit $rc; }
    step "scored in $(( $(date +%s) - start )) s (exit $rc)"
else
    [[ -f "$DB" ]] || { echo "accuracy: no database at $DB" >&2; exit 2; }
    [[ -n "$(ls corpus/audio/*.json 2>/dev/null | head -1)" ]] || python3 scripts/make_corpus.py audio
    step "rescore $DB ${PASS[*]:-}"
    "$CALLQA" --db "$DB" "${GLOBAL[@]}" rescore "${PASS[@]}"
fi
step "link"
"$CALLQA" --db "$DB" "${GLOBAL[@]}" link
EXPORT="$STEM.jsonl"
"$CALLQA" --db "$DB" export --format jsonl --out "$EXPORT"
LABEL="$(basename "$DB") ${GLOBAL[*]:-} ${PASS[*]:-}${RESCORE_ONLY:+ (rescored)}"
python3 scripts/accuracy.py --export "$EXPORT" --db "$DB" --json "$STEM.json" --label "$LABEL" | tee "$STEM.md"
step "report: $STEM.md, $STEM.json"
