import Foundation
import XCTest
@testable import MisqKit

/// A table's load time grows with its columns linearly (cold test of issue
/// 22: a 4,002-column × 10-row CSV took ~35 s, since each column read the
/// file again, rewrote the cache's metadata of every column, and searched
/// the fields for its schema). Measured as this process's CPU time, not the
/// wall clock, so a busy machine does not fail it: before the fix 2,000
/// columns took 12.7 s of CPU in a debug build and 4,000 several times
/// that; after, 4,000 take about 1.3 s. The count (10 rows) is a hand count.
final class WideTableTests: XCTestCase {
    func cpuSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }

    func testFourThousandColumnsLoadInLinearTime() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let columns = 4_000
        var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<10 { text += (0..<columns).map { String(r * $0) }.joined(separator: ",") + "\n" }
        let path = dir.appendingPathComponent("wide.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        try s.addCSV(path)
        let before = cpuSeconds()
        // `count` with no period column asks for blank rows, which infers
        // the period column by typing every column: the wide path.
        let r = try Fixtures.results("count wide", session: s)
        let spent = cpuSeconds() - before
        XCTAssertEqual(r.last?.scalarValue, 10)
        XCTAssertLessThan(spent, 8, "4,000 columns took \(spent) s of CPU")
    }
}
