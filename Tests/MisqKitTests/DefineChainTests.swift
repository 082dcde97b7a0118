import XCTest
@testable import MisqKit

/// A long chain of honest definitions works; only a real cycle is
/// "refers to itself" (issue 16: a chain of more than 32 was refused).
final class DefineChainTests: XCTestCase {
    func testALongChainOfDefines() throws {
        // d0 = vawg; each d(k) = d(k-1): count cases where d199 is count cases where vawg (12, EvaluatorTests).
        var text = "define d0 = vawg\n"
        for k in 1..<200 { text += "define d\(k) = d\(k - 1)\n" }
        text += "count cases where d199"
        XCTAssertEqual(try Fixtures.results(text).last?.scalarValue, 12)
        XCTAssertEqual(try Fixtures.results(text.replacingOccurrences(of: "where d199", with: "by d199")).count, 1)
    }

    func testTooDeepANestingIsAnErrorNotACrash() {
        // Eight defines, each 150 levels of `not (…)` deep: past the 1,000
        // levels the checker allows, and deep enough to overflow the stack.
        var text = "define d0 = vawg\n"
        for k in 1..<8 { text += "define d\(k) = " + String(repeating: "(not ", count: 150) + "d\(k - 1)" + String(repeating: ")", count: 150) + "\n" }
        text += "count cases where d7"
        XCTAssertThrowsError(try Fixtures.results(text)) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("nests more than 1000 levels") == true, "\(e)")
        }
    }

    func testACycleIsStillAnError() {
        let text = "define a = b and vawg\ndefine b = c\ndefine c = a\ncount cases where a"
        XCTAssertThrowsError(try Fixtures.results(text)) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("refers to itself") == true, "\(e)")
        }
    }

    func testADefineUsedTwiceIsNotACycle() throws {
        // Both branches name d: a diamond, not a cycle. vawg or vawg = vawg.
        let text = "define d = vawg\ndefine e = d or d\ncount cases where e and d"
        XCTAssertEqual(try Fixtures.results(text).last?.scalarValue, 12)
    }

    func testAChainOfFortySubsets() throws {
        var text = "let s0 = cases where vawg\n"
        for k in 1..<40 { text += "let s\(k) = s\(k - 1)\n" }
        text += "count s39"
        XCTAssertEqual(try Fixtures.results(text).last?.scalarValue, 12)
    }
}

/// Definitions expand inline, so `d(k) = d(k-1) and d(k-1)` doubles each
/// line (issue 16: forty lines never finished; twenty took 10 s, 237 MB).
/// Past 100,000 terms it is an error at the condition, found in time
/// linear in the defines' text.
final class DefineExpansionTests: XCTestCase {
    func doubling(_ n: Int) -> String {
        var text = "define d0 = vawg\n"
        for k in 1...n { text += "define d\(k) = d\(k - 1) and d\(k - 1)\n" }
        return text
    }

    func testFortyDoublingsAreAnErrorAtOnce() {
        let start = Date()
        XCTAssertThrowsError(try Fixtures.results(doubling(40) + "count cases where d40")) { e in
            let m = e.misqErrors.first
            XCTAssertTrue(m?.message.contains("expands to more than 100,000 terms") == true, "\(e)")
            XCTAssertEqual(m?.location?.line, 42)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        // The same as a group key, and through a subset's filter.
        XCTAssertThrowsError(try Fixtures.results(doubling(40) + "count cases by d40"))
        XCTAssertThrowsError(try Fixtures.results(doubling(40) + "let s = cases where d40"))
    }

    func testDoublingsUnderTheLimitStillCount() throws {
        // d10 is 1,024 copies of vawg joined by `and`: count cases where vawg (12, EvaluatorTests).
        XCTAssertEqual(try Fixtures.results(doubling(10) + "count cases where d10").last?.scalarValue, 12)
    }

    func testALongPlainChainIsBoundedToo() {
        // 100,001 terms with no definitions: refused, in about a second.
        let text = "count cases where " + Array(repeating: "vawg", count: 100_001).joined(separator: " and ")
        XCTAssertThrowsError(try Fixtures.results(text)) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("expands to more than 100,000 terms") == true, "\(e)")
        }
    }
}
