#!/usr/bin/env bash
# The whole test suite, as CI runs it: set up (idempotent: build + default model), then unit,
# end-to-end (real Whisper on samples/) and lint checks.
#
#   ./scripts/test.sh              whisper.cpp built for this CPU (-march=native), in target/
#   ./scripts/test.sh --portable   whisper.cpp built for the x86-64 features most machines share
#                                  (AVX, AVX2, FMA, F16C; GGML_NATIVE=OFF), in target/portable/
#
# Both must pass: whisper.cpp's kernels differ between CPUs in the last float bits, so the
# end-to-end assertions are made to hold on either build (see README, "CPUs and builds").
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--portable" ] || [ "${CALLQA_PORTABLE:-0}" = 1 ]; then
  # whisper-rs-sys passes GGML_* variables to whisper.cpp's CMake but does not rebuild when they
  # change, so the portable build lives in its own target directory.
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/portable}"
  export GGML_NATIVE=OFF GGML_AVX=ON GGML_AVX2=ON GGML_FMA=ON GGML_F16C=ON
  echo "[test] portable build (GGML_NATIVE=OFF, AVX2/FMA/F16C) in $CARGO_TARGET_DIR" >&2
fi

# The multilingual base model is what the telephony accuracy and multilingual tests use.
./scripts/setup.sh --multilingual
cargo fmt --check
cargo clippy --release --all-targets --locked --quiet -- -D warnings
# --lib --bins --tests: the doc-test pass has no tests and would close the log on "0 passed".
# One test at a time: each end-to-end test runs whisper.cpp on every core, and ggml's
# spin-waiting threads slow down many-fold when two of them share the cores.
# --no-fail-fast: one failing target must not hide the others.
log="$(mktemp)"
# Whisper's output per window, shared by the tests of this run only (src/asr/cache.rs): the
# samples are transcribed for real once per run instead of once per test that scores them.
# The signal test (Whisper must be running when Ctrl-C lands) opts out; the shards test keeps
# a cache of its own.
export CALLQA_TRANSCRIPT_CACHE="$(mktemp -d)"
trap 'rm -rf "$log" "$CALLQA_TRANSCRIPT_CACHE"' EXIT
status=0
cargo test --release --locked --no-fail-fast --lib --bins --tests -- --test-threads 1 2>&1 \
  | tee "$log" || status=$?
failed="$(grep -E '^test .* \.\.\. FAILED$' "$log" | sed -E 's/^test (.*) \.\.\. FAILED$/\1/' || true)"
if [ "$status" -ne 0 ] || [ -n "$failed" ]; then
  n="$(printf '%s\n' "$failed" | grep -c . || true)"
  targets="$(grep -E '^\s+`--(lib|bin|test)' "$log" | sed -E 's/^\s+`(.*)`$/\1/' | paste -sd ',' - || true)"
  echo "[test] FAILED: $n test(s): $(printf '%s\n' "$failed" | paste -sd ' ' -); failing targets: ${targets:-see above}" >&2
  [ "$status" -ne 0 ] || status=1
  exit "$status"
fi
echo "[test] all tests passed" >&2
