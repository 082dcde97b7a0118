import Foundation
import MisqKit

// misq-synth: writes the SYNTHETIC case-level dataset.
//   swift run misq-synth [--seed N] [--out datasets/centurion_synthetic.csv]
// The same seed writes the same bytes.
var seed: UInt64 = 20240430
var out = "datasets/centurion_synthetic.csv"
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--seed": seed = args.isEmpty ? seed : UInt64(args.removeFirst()) ?? seed
    case "--out": out = args.isEmpty ? out : args.removeFirst()
    default:
        FileHandle.standardError.write(Data("misq-synth: unknown argument \(a)\nusage: misq-synth [--seed N] [--out FILE]\n".utf8))
        exit(2)
    }
}
var generator = Generator(seed: seed)
let cases = generator.run()
let text = CSVWriter.write(cases, people: generator.people)
let tmp = out + ".tmp"
guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)), rename(tmp, out) == 0 else {
    FileHandle.standardError.write(Data("misq-synth: cannot write \(out)\n".utf8))
    exit(2)
}
let rows = cases.reduce(0) { $0 + $1.allegations.count }
print("wrote \(out): \(rows) allegations in \(cases.count) cases (SYNTHETIC, seed \(seed))")
