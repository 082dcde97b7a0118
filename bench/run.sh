#!/usr/bin/env bash
# The benchmark, outside `swift test`: misq against DuckDB, polars, sqlite3
# and Miller on the same synthetic files. Installs missing peers, builds
# misq, generates the data (never committed), checks every peer gives misq's
# numbers, then times each and writes bench/RESULTS.md.
#   bench/run.sh                 # 100k and 1M rows
#   BENCH_SIZES="100k 1m 10m" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
need_apt=()
command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
command -v mlr >/dev/null || need_apt+=(miller)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"; fi
command -v duckdb >/dev/null || pip install -q duckdb-cli
python3 -c 'import polars' 2>/dev/null || pip install -q polars
# misq as a release would ship it: the Swift runtime and Foundation linked
# in, which saves about 8 ms of dynamic loading per process, and linked at a
# fixed address (-no-pie), which spares the loader some 75,000 relocations,
# about 1.4 ms per process. (Only with the runtime linked in: against the
# shared Swift libraries a fixed-address link can break function pointer
# equality, so the everyday build stays position-independent.) A separate
# build folder, so the everyday build is not rebuilt.
log=$(mktemp)
swift build -c release --product misq --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie \
    --build-path .build/static >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
rm -f "$log"
export MISQ=.build/static/release/misq
swift build -c release --product misq-synth >/dev/null
exec python3 bench/bench.py ${BENCH_SIZES:-100k 1m}
