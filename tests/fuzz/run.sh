#!/bin/sh
# Runs each libFuzzer harness in turn for SECONDS (default 60) on a fresh
# copy of its seeds (tests/fuzz/seeds), one process at a time.
#
#   tests/fuzz/run.sh [SECONDS [NAME...]]
#
# SRCDIR and BUILDDIR default to the top source directory and the current
# directory (`make fuzz-smoke` sets both). Each harness prints one line: how
# many inputs it ran, and either "no finding" or where the crashing input
# was saved. Exits 1 if any harness found something, 2 on a usage problem.
set -u
secs=${1:-60}
[ $# -gt 0 ] && shift
names=${*:-script spec config url sqllex hcache}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILDDIR=${BUILDDIR:-$(pwd)}
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/retort-fuzz.XXXXXX)}

max_len() {
	case $1 in
	spec) echo 256 ;;
	url) echo 1024 ;;
	config) echo 2048 ;;
	*) echo 8192 ;;
	esac
}

status=0
for name in $names; do
	bin=$BUILDDIR/tests/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "$bin is not built: ./configure CC=clang --enable-fuzzing && make" >&2
		exit 2
	fi
	work=$WORKDIR/$name
	mkdir -p "$work/corpus" "$work/artifacts"
	# Seeds from different places may share a base name: number them.
	n=0
	grep "^$name " "$SRCDIR/tests/fuzz/seeds" | while read -r _ pattern; do
		for f in "$SRCDIR"/$pattern; do
			[ -f "$f" ] || continue
			n=$((n + 1))
			cp "$f" "$work/corpus/seed$n-$(basename "$f")"
		done
	done
	dict=
	[ -f "$SRCDIR/tests/fuzz/dict/$name.dict" ] && dict=-dict=$SRCDIR/tests/fuzz/dict/$name.dict
	start=$(date +%s)
	"$bin" -max_total_time="$secs" -max_len="$(max_len "$name")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 $dict \
		-artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
	rc=$?
	elapsed=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "$name: ${runs:-?} runs in ${elapsed}s, no finding"
	else
		status=1
		echo "$name: FINDING after ${elapsed}s (exit $rc): $(ls "$work/artifacts" | head -n 3)"
		echo "  log: $work/log; input(s) in $work/artifacts/"
		grep -m 5 -E 'ERROR:|fuzz: |runtime error' "$work/log" | sed 's/^/  /'
	fi
done
[ "$status" -eq 0 ] && [ -z "${KEEP:-}" ] && rm -rf "$WORKDIR"
exit $status
