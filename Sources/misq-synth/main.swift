import Foundation
import MisqSynth

// misq-synth: writes the SYNTHETIC case-level dataset.
//   swift run misq-synth [--seed N] [--out datasets/centurion_synthetic.csv]
// The same seed writes the same bytes.
var seed = Generator.defaultSeed
var out = "datasets/centurion_synthetic.csv"
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--seed" where !args.isEmpty: seed = UInt64(args.removeFirst()) ?? seed
    case "--out" where !args.isEmpty: out = args.removeFirst()
    default:
        FileHandle.standardError.write(Data("misq-synth: unknown argument \(a)\nusage: misq-synth [--seed N] [--out FILE]\n".utf8))
        exit(2)
    }
}
let (text, rows, cases) = Generator.csv(seed: seed)
// Written to a temporary file and renamed, so a reader never sees half a file.
let tmp = out + ".tmp"
guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)), rename(tmp, out) == 0 else {
    FileHandle.standardError.write(Data("misq-synth: cannot write \(out)\n".utf8))
    exit(2)
}
print("wrote \(out): \(rows) allegations in \(cases) cases (SYNTHETIC, seed \(seed))")
