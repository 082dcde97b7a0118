import Foundation
import MisqKit

/// Benchmark data: the shipped dataset's columns and shape at any size
/// (100k, 1M, 10M rows), SYNTHETIC and uncalibrated, streamed month by month
/// so 10M rows never sit in memory. Same seed and size, same bytes.
extension Generator {
    public static func writeBenchmark(rows target: Int, seed: UInt64, to handle: FileHandle) {
        var g = Generator(seed: seed)
        let months = 148  // January 2012 – April 2024
        g.makePeople(max(1_000, min(target / 2, 2_000_000)))
        var out = CSVWriter.header.joined(separator: ",") + "\n"
        var written = 0, caseNumber = 0, allegationNumber = 0
        var (y, m) = (2012, 1)
        for month in 0..<months {
            let start = Day.number(y, m, 1)
            let days = Day.daysInMonth(y, m)
            // Rows still to write, spread over the months left.
            let monthRows = (target - written) / (months - month)
            var rowsThisMonth = 0
            var cases: [Case] = []
            while rowsThisMonth < monthRows {
                let c = g.makeCase(reported: start + g.rng.below(days), vawg: g.rng.chance(28))
                rowsThisMonth += c.allegations.count
                cases.append(c)
            }
            cases.sort { $0.reported < $1.reported }
            for c in cases {
                caseNumber += 1
                out += CSVWriter.rows(c, caseNumber: caseNumber, firstAllegation: allegationNumber + 1, people: g.people)
                allegationNumber += c.allegations.count
                if out.utf8.count > 1 << 20 { handle.write(Data(out.utf8)); out = "" }
            }
            written += rowsThisMonth
            m += 1
            if m == 13 { m = 1; y += 1 }
        }
        handle.write(Data(out.utf8))
    }
}
