#!/bin/bash
# Queue the scoring array and, depending on all of it succeeding, the merge.
#   CALLS=/shared/calls/2026-12-01 RESULTS=/shared/callqa/results ./submit.sh
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p logs
array=$(sbatch --parsable --export=ALL score-array.sbatch)
sbatch --dependency=afterok:"$array" --export=ALL merge.sbatch
