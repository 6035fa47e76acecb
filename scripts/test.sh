#!/bin/sh
# Build and run every test, twice: a plain gcc build (release flags,
# FORTIFY, hardening checked on the binaries) and a clang build under
# AddressSanitizer + UndefinedBehaviorSanitizer that also builds the
# libFuzzer targets and runs each briefly.  Installs missing Debian packages
# first.  This is the README's test command and what .ci/run runs.
#
# Environment: SK_JOBS (default: nproc), SK_FUZZ_SECONDS (default 10 per
# target; 0 skips the short fuzz runs).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=${SK_JOBS:-$(nproc)}
fuzz_seconds=${SK_FUZZ_SECONDS:-10}

"$top/scripts/deps.sh"

run_suite() {
	name=$1
	shift
	dir="$top/build/$name"
	echo "==> [$name] configure"
	cmake -S "$top" -B "$dir" -G Ninja -DSK_WERROR=ON "$@" >"$dir.cmake.log" 2>&1 ||
	    { cat "$dir.cmake.log"; exit 1; }
	echo "==> [$name] build"
	cmake --build "$dir" -j "$jobs"
	echo "==> [$name] test"
	ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

mkdir -p "$top/build"
run_suite gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
run_suite clang-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
    -DSK_SANITIZE=ON -DSK_FUZZ=ON

if [ "$fuzz_seconds" -gt 0 ]; then
	# Short, time-boxed fuzzing of every target from its seed corpus; new
	# inputs go to a scratch directory, never into the repository.
	for f in "$top"/build/clang-asan/tests/fuzz_*; do
		[ -x "$f" ] || continue
		t=${f##*/fuzz_}
		scratch=$(mktemp -d)
		echo "==> fuzz $t for ${fuzz_seconds}s"
		"$f" -max_total_time="$fuzz_seconds" -print_final_stats=1 \
		    -artifact_prefix="$top/build/fuzz-$t-" "$scratch" \
		    "$top/tests/fuzz/corpus/$t" 2>"$top/build/fuzz-$t.log" || {
			tail -n 40 "$top/build/fuzz-$t.log"
			rm -rf "$scratch"
			exit 1
		}
		grep -E 'stat::number_of_executed_units' "$top/build/fuzz-$t.log" || true
		rm -rf "$scratch"
	done
fi
echo "==> all suites passed"
