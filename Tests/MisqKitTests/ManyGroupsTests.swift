import XCTest
@testable import MisqKit
@testable import MisqSynth

/// Keys whose combined space is too large for a dense table (here 3,001 ×
/// 2,001 codes) are grouped through hash tables, one per part of the hash
/// range, each filled by its own core (`GroupTable.hashed`). The expected
/// figures are counted in the test from the generated rows, tuple by
/// tuple in a dictionary (the plain way, independent of misq's codes).
final class ManyGroupsTests: XCTestCase {
    struct Row { var a: Int; var b: Int?; var c: Int }

    static let rows: [Row] = {
        var rng = SplitMix64(seed: 19)
        return (0..<20_000).map { _ in
            let a = Int(rng.next() % 3_000)
            let b = rng.next() % 50 == 0 ? nil : Int(rng.next() % 2_000)
            return Row(a: a, b: b, c: Int(rng.next() % 5))
        }
    }()

    static let session: Session? = {
        guard let dir = try? Fixtures.temporaryDirectory() else { return nil }
        let path = dir.path + "/g.csv"
        let text = "a,b,c\n" + rows.map { "A\($0.a),\($0.b.map { "B\($0)" } ?? ""),C\($0.c)" }.joined(separator: "\n") + "\n"
        guard (try? text.write(toFile: path, atomically: true, encoding: .utf8)) != nil else { return nil }
        let s = Session()
        guard let ds = try? Dataset.bare(name: "g", path: path), (try? s.add(ds)) != nil else { return nil }
        return s
    }()

    func groups(_ q: String) throws -> [String: Double] {
        let s = try XCTUnwrap(ManyGroupsTests.session)
        guard case .groups(let g)? = try Fixtures.results(q, session: s.fork()).last?.body else { throw MisqError(.runtime, "not grouped") }
        var out: [String: Double] = [:]
        for r in g.rows { out[r.keys.map { $0 ?? "-" }.joined(separator: "/")] = r.values[0] }
        XCTAssertEqual(out.count, g.rows.count, "each group once")
        return out
    }

    func key(_ r: Row) -> String { "A\(r.a)/" + (r.b.map { "B\($0)" } ?? "-") }

    func testCountsByTwoWideKeys() throws {
        var want: [String: Double] = [:]
        for r in ManyGroupsTests.rows { want[key(r), default: 0] += 1 }
        for grain in [nil, 64] {
            let got = try Parallel.$testGrain.withValue(grain) { try groups("count rows by a, b") }
            XCTAssertEqual(got, want, "grain \(String(describing: grain))")
        }
    }

    /// The groups come in their keys' order (`KeyOrder`): by a's label,
    /// then b's, the missing b last; worked out here by sorting the
    /// distinct (a, b) pairs of the generated rows.
    func testManyGroupsComeInTheirKeysOrder() throws {
        let pairs = Set(ManyGroupsTests.rows.map { [$0.a, $0.b ?? -1] })
        let want = pairs.map { p in ["A\(p[0])", p[1] < 0 ? nil : "B\(p[1])"] }.sorted { x, y in
            if x[0] != y[0] { return x[0]! < y[0]! }
            guard let bx = x[1] else { return false }
            guard let by = y[1] else { return true }
            return bx < by
        }
        let s = try XCTUnwrap(ManyGroupsTests.session)
        guard case .groups(let g)? = try Fixtures.results("count rows by a, b", session: s.fork()).last?.body else { return XCTFail("not grouped") }
        XCTAssertEqual(g.rows.map(\.keys), want)
        XCTAssertGreaterThan(want.count, 15_000)
    }

    func testDistinctByTwoWideKeys() throws {
        var sets: [String: Set<Int>] = [:]
        for r in ManyGroupsTests.rows where r.c != 0 { sets[key(r), default: []].insert(r.c) }
        let want = sets.mapValues { Double($0.count) }
        XCTAssertEqual(try groups("count distinct c by a, b where c != c0"), want)
        // Past a bitset per group: each group's ids laid out and stamped.
        XCTAssertEqual(try Measurer.$testBitsetLimit.withValue(1_000) { try groups("count distinct c by a, b where c != c0") }, want)
        var byA: [String: Set<Int>] = [:]
        for r in ManyGroupsTests.rows { byA["A\(r.a)", default: []].insert(r.b ?? -1) }
        let wantA = byA.mapValues { Double($0.subtracting([-1]).count) }
        XCTAssertEqual(try Measurer.$testBitsetLimit.withValue(1_000) { try groups("count distinct b by a") }, wantA)
    }

    /// `top 5`: the five largest groups and every group tied with the
    /// fifth, in order of count, then key.
    func testTopOfManyGroups() throws {
        var counts: [String: Int] = [:]
        for r in ManyGroupsTests.rows { counts[key(r), default: 0] += 1 }
        let s = try XCTUnwrap(ManyGroupsTests.session)
        guard case .groups(let g)? = try Fixtures.results("count rows by a, b top 5", session: s.fork()).last?.body else { return XCTFail("not grouped") }
        let sorted = counts.values.sorted(by: >)
        let cut = sorted[4]
        XCTAssertEqual(g.rows.count, sorted.filter { $0 >= cut }.count)
        XCTAssertEqual(g.rows.map { Int($0.values[0]) }, sorted.filter { $0 >= cut })
        for r in g.rows { XCTAssertEqual(counts[r.keys.map { $0 ?? "-" }.joined(separator: "/")], Int(r.values[0])) }
    }
}
