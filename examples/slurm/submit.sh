#!/usr/bin/env bash
# Submits a sharded framelens run to Slurm: a job array of N shards, then a merge job that
# starts only after every task of the array succeeded.
#
#   bash examples/slurm/submit.sh STUDY.toml N [TABLES_DIR [REPORT_DIR]]
#
# Run it from the folder the jobs should work in (Slurm starts them there): relative paths in
# the arguments, the study's own paths and the logs/ folder are relative to it.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 4 ]; then
    echo "usage: $0 STUDY.toml N [TABLES_DIR [REPORT_DIR]]" >&2
    exit 2
fi
study="$1"
shards="$2"
case "$shards" in
    '' | *[!0-9]* | 0) echo "N must be a positive whole number, not '$shards'" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p logs

# Variables the job scripts read (FRAMELENS: the binary, default `framelens` on PATH).
export STUDY="$study" SHARDS="$shards" TABLES="${3:-}" REPORT="${4:-}"
export FRAMELENS="${FRAMELENS:-framelens}"

# --parsable prints "jobid" or "jobid;cluster".
array_job="$(sbatch --parsable --array="1-${shards}" --export=ALL "$here/shard.sbatch")"
array_job="${array_job%%;*}"
merge_job="$(sbatch --parsable --dependency="afterok:${array_job}" --export=ALL "$here/merge.sbatch")"
merge_job="${merge_job%%;*}"
echo "submitted shards as job array ${array_job} (tasks 1-${shards}) and the merge as job ${merge_job}"
echo "follow with: squeue -j ${array_job},${merge_job}; logs in $(pwd)/logs/"
