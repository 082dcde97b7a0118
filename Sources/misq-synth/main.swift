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
let usage = "usage: misq-synth [--seed N] [--out FILE] [--rows N]\n"
    + "  no --rows: the calibrated SYNTHETIC dataset (default --out datasets/centurion_synthetic.csv)\n"
    + "  --rows N:  an uncalibrated file of about N rows with the same columns, for benchmarks\n"
/// A bad value is an error, never the default taken silently (a mistyped
/// `--rows` used to write the calibrated dataset over the shipped one).
func fail(_ message: String) -> Never {
    fputs("misq-synth: \(message)\n" + usage, stderr)
    exit(2)
}
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--help", "-h":
        print(usage, terminator: "")
        exit(0)
    case "--seed", "--out", "--rows":
        guard !args.isEmpty else { fail("\(a) needs a value") }
        let v = args.removeFirst()
        switch a {
        case "--seed":
            guard let s = UInt64(v) else { fail("--seed takes a whole number, got '\(v)'") }
            seed = s
        case "--out": out = v
        default:
            guard let n = Int(v.replacingOccurrences(of: "_", with: "")), n > 0 else { fail("--rows takes a positive whole number, got '\(v)'") }
            rows = n
        }
    default:
        fail("unknown argument \(a)")
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
