#!/usr/bin/env bash
# Builds the libFuzzer targets and runs them.
#   fuzz/run.sh [query|csv|cache|sheet|all] [SECONDS per target]      default: all 300
# New interesting inputs go to .build-fuzz/work-TARGET (seeded from
# fuzz/corpus/TARGET); a crash or hang leaves .build-fuzz/crash-TARGET-*.
# Copy any such file into Tests/MisqKitTests/FuzzRegressions/TARGET/ so
# `swift test` replays it for ever.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}; seconds=${2:-300}
out=.build-fuzz; mkdir -p "$out"
targets=(query csv cache sheet); [ "$which" != all ] && targets=("$which")
for t in "${targets[@]}"; do
  echo "building $t…"
  # Compile a snapshot, so editing the sources during a long run is safe.
  src="$out/src-$t"
  rm -rf "$src"; mkdir -p "$src/MisqFuzz" "$src/mod"
  cp -r Sources/MisqKit Sources/CScan Sources/CSheetXML "$src/"
  cp Sources/MisqFuzz/*.swift "fuzz/targets/$t.swift" "$src/MisqFuzz/"
  # The C parts (Sources/CScan: the scan's vector pass, the mapped-file
  # guard), every file of them, instrumented alike.
  objects=()
  for c in "$src"/CScan/*.c; do
    o="$out/$(basename "$c" .c)-$t.o"
    clang -fsanitize=fuzzer-no-link,address -O2 -I "$src/CScan/include" -c "$c" -o "$o"
    objects+=("$o")
  done
  # libxml2's shim (Sources/CSheetXML), and ZIPFoundation (from SwiftPM's
  # checkout: run `swift package resolve` once) as a module of its own.
  o="$out/sheetxml-$t.o"
  clang -fsanitize=fuzzer-no-link,address -O2 -I "$src/CSheetXML/include" -I /usr/include/libxml2 -c "$src/CSheetXML/sheetxml.c" -o "$o"
  objects+=("$o")
  swift package resolve >/dev/null
  zlib=.build/checkouts/ZIPFoundation/Sources/CZLib
  swiftc -sanitize=fuzzer,address -parse-as-library -O -wmo -module-name ZIPFoundation -I "$zlib" \
    -emit-module -emit-module-path "$src/mod/ZIPFoundation.swiftmodule" \
    -c .build/checkouts/ZIPFoundation/Sources/ZIPFoundation/*.swift -o "$out/ZIPFoundation-$t.o" 2> >(grep -v "Cannot export local symbol" >&2)
  objects+=("$out/ZIPFoundation-$t.o")
  # Two modules, as SwiftPM builds them: the library, then the harness
  # (Sources/MisqFuzz, which reaches the library's `package` declarations)
  # with the target's entry point.
  mapfile -t kit < <(find "$src/MisqKit" -name '*.swift' | sort)
  swiftc -sanitize=fuzzer,address -parse-as-library -O -wmo -module-name MisqKit -package-name misq \
    -I "$src/CScan/include" -I "$src/CSheetXML/include" -I "$src/mod" -I "$zlib" -emit-module -emit-module-path "$src/mod/MisqKit.swiftmodule" \
    -c "${kit[@]}" -o "$out/MisqKit-$t.o" 2> >(grep -v "Cannot export local symbol" >&2)
  mapfile -t harness < <(find "$src/MisqFuzz" -name '*.swift' | sort)
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name MisqFuzz -package-name misq \
    -I "$src/mod" -I "$src/CScan/include" -I "$src/CSheetXML/include" -I "$zlib" \
    "${harness[@]}" "$out/MisqKit-$t.o" "${objects[@]}" -lxml2 -lz -o "$out/$t" 2> >(grep -v "Cannot export local symbol" >&2)
done
for t in "${targets[@]}"; do
  mkdir -p "$out/work-$t"
  dict=(); [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  "$out/$t" "$out/work-$t" "fuzz/corpus/$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/crash-$t-" 2>&1 | tee "$out/$t.log" | grep -E "^#[0-9]+[[:space:]]+(INITED|DONE|pulse)|ERROR|SUMMARY|stat::" || true
done
