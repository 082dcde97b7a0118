import XCTest
@testable import MisqKit

/// `Session.fork` gives each test file a clean session over the same
/// datasets: every dataset, in order, as the same object (columns already
/// read are not read again), with nothing declared in the fork seen by the
/// session it came from. It once re-added each dataset with `try?`, which
/// would have dropped any that `add` refused without a word.
final class SessionForkTests: XCTestCase {
    func testForkSharesEveryDatasetAndKeepsItsOwnDeclarations() throws {
        let base = try Session.open(datasetsDirectory: Fixtures.small)
        try base.addCSV(Fixtures.testsDirectory.appendingPathComponent("Malformed/mixed_types.csv").path, as: "Cases_2")
        XCTAssertGreaterThan(base.datasets.count, 2)
        let fork = base.fork()
        XCTAssertEqual(fork.datasets.map(\.name), base.datasets.map(\.name))
        XCTAssertTrue(zip(fork.datasets, base.datasets).allSatisfy { $0 === $1 })
        XCTAssertEqual(Set(fork.defines.keys), Set(base.defines.keys))
        _ = try ScriptRunner(session: fork).run(SourceFile(name: "t", text: "define only_here = outcome = dismissed\n"), mode: .declarations)
        XCTAssertNotNil(fork.defines["only_here"])
        XCTAssertNil(base.defines["only_here"])
    }
}
