import Foundation
import MisqKit
import MisqSynth

// misq-synth: writes the SYNTHETIC case-level dataset, calibrated to the
// published figures; or, with --rows, an uncalibrated file of that size with
// the same columns, for benchmarks.
//   swift run misq-synth [--seed N] [--out datasets/centurion_synthetic.csv]
//   swift run -c release misq-synth --rows 1000000 --out bench/data/1m.csv
// The same seed (and size) writes the same bytes.
var seed = Generator.defaultSeed
var out = "datasets/centurion_synthetic.csv"
var rows: Int?
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--seed" where !args.isEmpty: seed = UInt64(args.removeFirst()) ?? seed
    case "--out" where !args.isEmpty: out = args.removeFirst()
    case "--rows" where !args.isEmpty: rows = Int(args.removeFirst().replacingOccurrences(of: "_", with: ""))
    default:
        fputs("misq-synth: unknown argument \(a)\nusage: misq-synth [--seed N] [--out FILE]\n", stderr)
        exit(2)
    }
}
if let n = rows {
    let tmp = AtomicFile.temporaryPath(for: out)
    guard n > 0, FileManager.default.createFile(atPath: tmp, contents: nil), let handle = FileHandle(forWritingAtPath: tmp) else {
        fputs("misq-synth: cannot write \(out)\n", stderr)
        exit(2)
    }
    Generator.writeBenchmark(rows: n, seed: seed, to: handle)
    try? handle.close()
    do { try AtomicFile.commit(tmp, to: out) } catch { fputs("misq-synth: cannot write \(out)\n", stderr); exit(2) }
    print("wrote \(out): about \(n) allegations (SYNTHETIC, uncalibrated, seed \(seed))")
    exit(0)
}
let (text, rowCount, cases) = Generator.csv(seed: seed)
do { try AtomicFile.write(text, to: out) } catch {
    fputs("misq-synth: cannot write \(out)\n", stderr)
    exit(2)
}
print("wrote \(out): \(rowCount) allegations in \(cases) cases (SYNTHETIC, seed \(seed))")
