#!/usr/bin/env bash
# Runs every fuzz target for N seconds (default 60) with cargo-fuzz on nightly; not part of CI
# (needs a nightly toolchain, `cargo install cargo-fuzz` and minutes of CPU).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Crashes land in fuzz/artifacts/<target>/; add each as a regression input under
# tests/data/fuzz/ and a case in tests/fuzz_regressions.rs. The corpora in fuzz/corpus/ grow
# from run to run, so a nightly run goes deeper each night. Nightly, on a spare machine (one
# target per core; the exit status is 1 when any target found something):
#   17 1 * * *  cd /srv/callqa && scripts/fuzz.sh 600 audio_decode rubric_yaml manifest name_pattern >fuzz-a.log 2>&1
#   17 1 * * *  cd /srv/callqa && scripts/fuzz.sh 600 ct2_reader topics_yaml timestamp >fuzz-b.log 2>&1
# Setup once: rustup toolchain install nightly && cargo install cargo-fuzz.
# The targets are built with overflow checks (cargo-fuzz's default; more findings). Whether a
# finding that only those checks raise inside a dependency reaches the shipped build:
#   cargo +nightly fuzz run -O -s none TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(audio_decode ct2_reader rubric_yaml topics_yaml manifest name_pattern timestamp)
fi
seed_corpus() {
    local t=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir")" ] && return
    case $t in
        audio_decode) for f in tests/data/*.wav tests/data/*.mp3 tests/data/*.ogg; do
                          [ -s "$f" ] && head -c 20000 "$f" >"$dir/$(basename "$f")"; done ;;
        ct2_reader) cp tests/data/fuzz/ct2_* "$dir/" 2>/dev/null || true ;;
        rubric_yaml) cp rubrics/*.yaml "$dir/" ;;
        topics_yaml) cp rubrics/topics/*.yaml "$dir/" ;;
        manifest) printf 'call_id,file,agent_id,customer_id,started_at,queue,direction\nc1,a.wav,A1,C1,2025-02-19T06:01:22Z,billing,inbound\n' >"$dir/basic.csv" ;;
        name_pattern) printf 'AGENT_(?P<agent>[^_]+)_DT_(?P<started_at>[0-9T-]+)\nAGENT_a1_DT_2025-02-19T06-01-22.wav' >"$dir/basic" ;;
        timestamp) printf '2025-02-19T06:01:22+01:00' >"$dir/a"; printf '2025-02-19 06-01-22.5Z' >"$dir/b" ;;
    esac
}
cargo +nightly fuzz build -s none
status=0
for t in "${targets[@]}"; do
    seed_corpus "$t"
    echo "== $t ($secs s)"
    # -s none: the library is safe Rust; without ASan the targets run several times faster.
    if ! cargo +nightly fuzz run -s none "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 2>&1 | tail -n 25; then
        status=1
    fi
done
exit $status
