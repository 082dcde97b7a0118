#!/usr/bin/env bash
# Builds the libFuzzer targets and runs them.
#   fuzz/run.sh [query|csv|cache|all] [SECONDS per target]      default: all 300
# New interesting inputs go to .build-fuzz/work-TARGET (seeded from
# fuzz/corpus/TARGET); a crash or hang leaves .build-fuzz/crash-TARGET-*.
# Copy any such file into Tests/MisqKitTests/FuzzRegressions/TARGET/ so
# `swift test` replays it for ever.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}; seconds=${2:-300}
out=.build-fuzz; mkdir -p "$out"
targets=(query csv cache); [ "$which" != all ] && targets=("$which")
for t in "${targets[@]}"; do
  echo "building $t…"
  # Compile a snapshot, so editing the sources during a long run is safe.
  rm -rf "$out/src-$t"; mkdir -p "$out/src-$t"; cp -r Sources/MisqKit "fuzz/targets/$t.swift" "$out/src-$t/"
  cp -r Sources/CScan "$out/src-$t/"
  mapfile -t sources < <(find "$out/src-$t" -name '*.swift' | sort)
  # The C parts (Sources/CScan: the scan's vector pass, the mapped-file
  # guard), every file of them, instrumented alike.
  objects=()
  for c in "$out/src-$t"/CScan/*.c; do
    o="$out/$(basename "$c" .c)-$t.o"
    clang -fsanitize=fuzzer-no-link,address -O2 -I "$out/src-$t/CScan/include" -c "$c" -o "$o"
    objects+=("$o")
  done
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name MisqKit -I "$out/src-$t/CScan/include" \
    "${sources[@]}" "${objects[@]}" -o "$out/$t" 2> >(grep -v "Cannot export local symbol" >&2)
done
for t in "${targets[@]}"; do
  mkdir -p "$out/work-$t"
  dict=(); [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  "$out/$t" "$out/work-$t" "fuzz/corpus/$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/crash-$t-" 2>&1 | tee "$out/$t.log" | grep -E "^#[0-9]+ +(INITED|DONE|pulse)|ERROR|SUMMARY|stat::" || true
done
