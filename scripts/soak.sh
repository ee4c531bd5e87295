#!/usr/bin/env bash
# Soak test (not in CI): N short calls (default 1000) scored in batches into one database, peak
# RSS measured after each batch, to show whether memory grows with the number of calls.
#   scripts/soak.sh [N] [BATCHES]
# Each call is a copy of a short sample WAV with one sample byte changed (a new sha256, so a
# new call). Needs target/release/callqa and models/ggml-tiny.en.bin (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
batches=${2:-4}
bin=target/release/callqa
src=${SOAK_WAV:-tests/data/u8_8k_mono.wav}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$src" "$work" "$n" "$batches" <<'PY'
import os, sys
src, work, n, batches = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = bytearray(open(src, "rb").read())
# the "data" chunk's last bytes: flip one bit per call, in a different byte for each call
pos, at = 12, None
while pos + 8 <= len(data):
    size = int.from_bytes(data[pos + 4:pos + 8], "little")
    if data[pos:pos + 4] == b"data":
        at = (pos + 8, size)
        break
    pos += 8 + size + (size & 1)
start, size = at
for i in range(n):
    b = bytearray(data)
    b[start + size - 1 - (i % (size - 1))] ^= 1 + i // (size - 1)
    d = os.path.join(work, f"batch{i * batches // n}")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, f"call{i:05}.wav"), "wb").write(b)
PY
db=$work/soak.db
echo "soak: $n calls from $src in $batches batches -> $db"
printf '%-8s %-8s %-10s %-12s\n' batch calls wall_s peak_rss_kb
for b in $(seq 0 $((batches - 1))); do
    calls=$(ls "$work/batch$b" | wc -l)
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" -q --db "$db" score "$work/batch$b" >/dev/null
    read -r wall rss <"$work/time"
    total=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select count(*) from calls').fetchone()[0])")
    printf '%-8s %-8s %-10s %-12s\n' "$b" "$total" "$wall" "$rss"
    echo "$rss" >>"$work/rss"
done
# One run over everything stored (all calls skipped, a rubric pass over the stored set).
/usr/bin/time -f '%e %M' -o "$work/time" "$bin" -q --db "$db" score "$work" >/dev/null
read -r wall rss <"$work/time"
printf '%-8s %-8s %-10s %-12s (re-run over all, skips)\n' all "$n" "$wall" "$rss"
python3 - "$work/rss" <<'PY'
import sys
r = [int(x) for x in open(sys.argv[1])]
growth = (r[-1] - r[0]) / r[0] * 100 if r[0] else 0
print(f"peak RSS first batch {r[0]} KB, last batch {r[-1]} KB: {growth:+.1f}%",
      "-> memory does not grow with the count" if abs(growth) < 10 else "-> memory GROWS with the count")
PY
