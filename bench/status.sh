#!/bin/sh
# Status lists (issue 5): the cost of one revocation with N licences
# stored (default 1,000,000), through certd's store and status lists as
# POST /v1/licences/{id}/revoke does it (one durable transaction: record,
# event, one list chunk, the list version), against a repeated revocation
# that changes nothing (the writer's round trip without a write); and the
# download size of a signed 131,072-entry list at 0.1 % and 1 % revoked.
# Usage: bench/status.sh [N] [REVOCATIONS]   (docs/PERFORMANCE.md)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000000}
revs=${2:-1000}
build="$top/build/bench"
"$top/scripts/deps.sh" >/dev/null
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target bench_status >/dev/null
work=$(mktemp -d "${TMPDIR:-/var/tmp}/bench-status.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "machine: $(nproc) cores, $(uname -m), store on $(df -P "$work" |
    awk 'NR == 2 { print $1 }')"
"$build/bench/bench_status" "$work/store" "$n" "$revs"
