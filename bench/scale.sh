#!/usr/bin/env bash
# Scale benchmark: crosscheck's full check against the parse floor and against DuckDB, at
# 10k, 100k and 1M claims (SIZES="10000 100000" to choose). See bench/RESULTS.md.
#
#   bash bench/scale.sh                 # all sizes
#   SIZES="10000 100000" bash bench/scale.sh
#
# Data sets are generated once into target/bench-data/<N>/ (examples/gen.rs, seed 1) and
# reused. For each size, side by side, wall time, claims/s and peak RSS (from /usr/bin/time);
# every timed comparison (check, floor, re-check, DuckDB) runs RUNS times (default 3): the
# fastest time, the largest peak.
#   check      crosscheck check DIR --today 2026-01-01 --format json --no-cache (every default rule)
#   cache      the same with the cache: a run that fills it, then re-runs each after changing one
#              figure in one file (partial re-checks; the file is restored afterwards); then
#              the same with the human report
#   floor      examples/floor.rs: read and deserialize the same files with the toml crate into
#              plain serde structs, in parallel, nothing else
#   values     the value language alone over every quantity/date/as_of string (one thread)
#   export     crosscheck export --format jsonl
#   duckdb     DuckDB (from PyPI, in target/bench-venv) loading that JSONL and self-joining it:
#              same-year disjoint ranges on the same subject, property and scope
# Then the targets, PASS/FAIL. Numbers on a shared machine are noisy: run twice, compare.
#   RUNS=1 bash bench/scale.sh          # one run of each, quicker
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"10000 100000 1000000"}
DATA=target/bench-data
TIME=/usr/bin/time
BIN=target/release/crosscheck

if [[ ! -x $TIME ]]; then
    echo "installing GNU time (apt-get install -y time)" >&2
    apt-get install -y time >/dev/null 2>&1 || { echo "error: /usr/bin/time is missing and could not be installed" >&2; exit 2; }
fi

echo "building (release)…" >&2
cargo build --release --quiet --bin crosscheck --example gen --example floor

# DuckDB, if it can be had.
DUCKDB=""
if [[ ${NO_DUCKDB:-} == "" ]]; then
    if [[ ! -x target/bench-venv/bin/python ]] || ! target/bench-venv/bin/python -c 'import duckdb' 2>/dev/null; then
        echo "installing duckdb into target/bench-venv…" >&2
        if python3 -m venv target/bench-venv >/dev/null 2>&1 \
            && target/bench-venv/bin/pip install -q duckdb >/dev/null 2>&1; then :; fi
    fi
    if target/bench-venv/bin/python -c 'import duckdb' 2>/dev/null; then
        DUCKDB=target/bench-venv/bin/python
    else
        echo "note: DuckDB unavailable (no python3 venv or no PyPI): its column is skipped" >&2
    fi
fi

HAS_CACHE=0
if $BIN check --help | grep -q -- '--no-cache'; then HAS_CACHE=1; fi
NO_CACHE=()
if [[ $HAS_CACHE == 1 ]]; then NO_CACHE=(--no-cache); fi

mkdir -p "$DATA"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# measure NAME CMD...: runs CMD under /usr/bin/time; records wall seconds and peak RSS (KiB).
# Exit status 0 or 1 is success (1 = findings); anything else aborts.
measure() {
    local name=$1
    shift
    local status=0
    "$TIME" -f '%e %M' -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || status=$?
    if [[ $status -gt 1 ]]; then
        echo "error: $name failed with status $status:" >&2
        tail -20 "$OUT/$name.err" >&2
        exit 2
    fi
    read -r WALL RSS < <(tail -1 "$OUT/$name.time")
}

# measure_best NAME CMD...: `measure` RUNS times (default 3), every run's output also kept in
# $OUT/NAME.all; WALL is the fastest run's (this machine's speed drifts by ±15-30% between
# runs; the fastest is the least disturbed), RSS the largest peak of any run.
measure_best() {
    local best_wall="" most_rss=0 i
    : >"$OUT/$1.all"
    for ((i = 0; i < ${RUNS:-3}; i++)); do
        ${BEFORE_EACH_RUN:-:}
        measure "$@"
        cat "$OUT/$1.out" >>"$OUT/$1.all"
        best_wall=$(awk -v a="$WALL" -v b="$best_wall" 'BEGIN { print (b == "" || a < b) ? a : b }')
        most_rss=$(( RSS > most_rss ? RSS : most_rss ))
    done
    WALL=$best_wall RSS=$most_rss
}

# recheck_best NAME CMD...: `measure_best`, each run after a new real edit of $EDIT (its first
# whole-number figure goes up by another 1,000), so that every run is a partial re-check.
edit_figure() { perl -0pi -e 's/^value = (\d+)$/"value = ".($1+1000)/me' "$EDIT"; }
recheck_best() { BEFORE_EACH_RUN=edit_figure measure_best "$@"; }

# key=value from a file
get() { awk -v k="$2" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$1"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
pass() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "PASS" : "FAIL" }'; }

declare -A CHECK_WALL CLAIMS
RESULTS=()
TARGETS=()
row() { RESULTS+=("$(printf '%-9s %-8s %9s %12s %10s  %s' "$@")"); }

for N in $SIZES; do
    DIR=$DATA/$N
    if [[ ! -f $DIR/entities.toml ]]; then
        echo "generating $N claims into $DIR…" >&2
        rm -rf "$DIR"
        target/release/examples/gen "$DIR" "$N" --seed 1 >"$DATA/$N.gen.txt"
    fi
    echo "measuring $N…" >&2
    rm -rf "$DIR/.crosscheck-cache"
    RECHECK_WALL=""
    HUMAN_RECHECK_WALL=""

    measure_best floor target/release/examples/floor "$DIR" --values
    FLOOR_WALL=$WALL FLOOR_RSS=$RSS
    CLAIMS[$N]=$(get "$OUT/floor.out" claims)
    BYTES=$(get "$OUT/floor.out" bytes)
    FILES=$(get "$OUT/floor.out" files)
    # The value language's time is measured inside each floor run: the fastest, as for the rest.
    VALUE_S=$(awk -F= '$1 == "value_seconds" && (best == "" || $2 < best) { best = $2 } END { print best }' "$OUT/floor.all")
    C=${CLAIMS[$N]}
    SIZE_MIB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')

    # Standard output rather than --output: --output writes atomically (a temporary file
    # renamed over the target), which must never be pointed at /dev/null.
    measure_best check "$BIN" check "$DIR" --today 2026-01-01 --format json "${NO_CACHE[@]}"
    CHECK_WALL[$N]=$WALL
    CHECK_RSS=$RSS
    row "$N" check "$WALL" "$(rate "$C" "$WALL")" "$(mib "$RSS")" "every default rule, no cache"
    row "$N" floor "$FLOOR_WALL" "$(rate "$C" "$FLOOR_WALL")" "$(mib "$FLOOR_RSS")" "toml → serde structs, parallel, $FILES files, $SIZE_MIB MiB"
    row "$N" values "$VALUE_S" "$(rate "$C" "$VALUE_S")" "-" "value language only, one thread (inside floor)"

    if [[ $HAS_CACHE == 1 ]]; then
        measure cachefill "$BIN" check "$DIR" --today 2026-01-01 --format json
        row "$N" "cache-1st" "$WALL" "$(rate "$C" "$WALL")" "$(mib "$RSS")" "filling .crosscheck-cache/"
        # A real edit: the first whole-number figure of the first source file that has one
        # goes up by 1,000, so findings change.
        EDIT=$(grep -l -m1 -E '^value = [0-9]+$' "$DIR"/20*/*.toml 2>/dev/null | head -1 || true)
        cp "$EDIT" "$OUT/edited.orig"
        recheck_best cached "$BIN" check "$DIR" --today 2026-01-01 --format json --timings
        cp "$OUT/edited.orig" "$EDIT"
        HOW=$(grep '^recheck:' "$OUT/cached.err" | sed 's/^recheck: //')
        row "$N" "cache-re" "$WALL" "$(rate "$C" "$WALL")" "$(mib "$RSS")" "re-run after editing one figure: $HOW"
        RECHECK_WALL=$WALL
        # The same with the human report (the default format), which keeps its own state.
        measure humanfill "$BIN" check "$DIR" --today 2026-01-01
        recheck_best humanre "$BIN" check "$DIR" --today 2026-01-01 --timings
        cp "$OUT/edited.orig" "$EDIT"
        HOW=$(grep '^recheck:' "$OUT/humanre.err" | sed 's/^recheck: //')
        row "$N" "human-re" "$WALL" "$(rate "$C" "$WALL")" "$(mib "$RSS")" "the same, human report: $HOW"
        HUMAN_RECHECK_WALL=$WALL
        rm -rf "$DIR/.crosscheck-cache"
    fi

    JSONL=$DATA/$N.jsonl
    measure export "$BIN" export "$DIR" --format jsonl --output "$JSONL" "${NO_CACHE[@]}"
    row "$N" export "$WALL" "$(rate "$C" "$WALL")" "$(mib "$RSS")" "crosscheck export --format jsonl"
    if [[ -n $DUCKDB ]]; then
        measure_best duckdb "$DUCKDB" bench/selfjoin.py "$JSONL"
        LOAD=$(get "$OUT/duckdb.out" load_seconds)
        QUERY=$(get "$OUT/duckdb.out" query_seconds)
        row "$N" duckdb "$WALL" "$(rate "$C" "$WALL")" "$(mib "$RSS")" "load JSONL ${LOAD}s + self-join ${QUERY}s ($(get "$OUT/duckdb.out" pairs) pairs)"
        if [[ -n ${RECHECK_WALL:-} ]]; then
            RD=$(ratio "$RECHECK_WALL" "$WALL")
            TARGETS+=("$(pass "$RD" 0.999)  $N: re-check after one edit / DuckDB = $RD (${RECHECK_WALL} s / ${WALL} s; target < 1)")
            RD=$(ratio "$HUMAN_RECHECK_WALL" "$WALL")
            TARGETS+=("$(pass "$RD" 0.999)  $N: the same, human report = $RD (${HUMAN_RECHECK_WALL} s / ${WALL} s; target < 1)")
        fi
    fi

    R=$(ratio "${CHECK_WALL[$N]}" "$FLOOR_WALL")
    if [[ $N -ge 100000 ]]; then
        TARGETS+=("$(pass "$R" 1.25)  $N: check/floor = $R (target ≤ 1.25)")
    else
        TARGETS+=("info  $N: check/floor = $R")
    fi
    RSS_RATIO=$(awk -v k="$CHECK_RSS" -v b="$BYTES" 'BEGIN { printf "%.2f", k * 1024 / b }')
    TARGETS+=("$(pass "$RSS_RATIO" 2.5)  $N: peak RSS / data on disk = $RSS_RATIO ($(mib "$CHECK_RSS") MiB / $SIZE_MIB MiB; target ≤ 2.5)")
    VR=$(ratio "$VALUE_S" "${CHECK_WALL[$N]}")
    TARGETS+=("$(pass "$VR" 0.1)  $N: value parsing / full check = $VR (target ≤ 0.10)")
done

# 10× claims ≤ 11× time, between consecutive sizes 10× apart.
PREV=""
for N in $SIZES; do
    if [[ -n $PREV && $N -eq $((PREV * 10)) ]]; then
        S=$(ratio "${CHECK_WALL[$N]}" "${CHECK_WALL[$PREV]}")
        TARGETS+=("$(pass "$S" 11)  $PREV → $N: check time × $S for 10× claims (target ≤ 11)")
    fi
    PREV=$N
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(rustc --version), $(date -u +%Y-%m-%d)"
echo
printf '%-9s %-8s %9s %12s %10s  %s\n' claims what seconds claims/s "RSS MiB" notes
for r in "${RESULTS[@]}"; do echo "$r"; done
echo
echo "targets:"
for t in "${TARGETS[@]}"; do echo "  $t"; done
