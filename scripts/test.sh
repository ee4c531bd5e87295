#!/usr/bin/env bash
# The whole test suite, as CI runs it: set up (idempotent: build + default model), then unit,
# end-to-end (real Whisper on samples/) and lint checks.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo fmt --check
cargo clippy --release --all-targets --locked --quiet -- -D warnings
cargo test --release --locked
