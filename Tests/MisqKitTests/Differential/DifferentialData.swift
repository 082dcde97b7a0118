import Foundation
@testable import MisqKit
@testable import MisqSynth

/// misq-synth's SplitMix64, seeded, so a failing query is the same query on
/// every machine and every run (the seed is printed with any mismatch),
/// with the picks the generator needs.
struct SeededRandom: RandomNumberGenerator {
    var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { base.next() }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &self)] }
    /// Skewed towards the front of the list, so counts differ and `top` has a head.
    mutating func skewed<T>(_ xs: [T]) -> T {
        let u = Double.random(in: 0..<1, using: &self)
        return xs[min(xs.count - 1, Int(u * u * Double(xs.count)))]
    }
    /// `n` different elements, in the list's order.
    mutating func some<T>(_ xs: [T], _ n: Int) -> [T] {
        var idx = Array(xs.indices); idx.shuffle(using: &self)
        return idx.prefix(min(n, xs.count)).sorted().map { xs[$0] }
    }
}

/// The CSVs both engines read, in the shapes real exports have: an
/// allegation-level complaints export (several allegations per case, an
/// officer in several cases, labels that differ only in case or
/// punctuation, blanks in every column but the allegation id) and a
/// per-force table of figures.
struct DifferentialData {
    /// Labels as publishers write them; pairs equal once case and
    /// punctuation are ignored are counted apart by both engines.
    static let outcomes = ["No case to answer", "No Case To Answer", "Case to answer", "Not upheld", "Upheld", "upheld",
                           "Management action", "Dismissed - gross misconduct", "Dismissed (gross misconduct)", "Referred to IOPC"]
    static let allegationTypes = ["Discreditable conduct", "Use of force", "Honesty and integrity", "Sexual misconduct",
                                  "Duties and responsibilities", "Equality and diversity", "Orders and instructions"]
    static let regions = ["London", "South East", "North West", "Midlands", "Wales", "North East"]
    static let forceNames = ["Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cumbria",
                             "Derbyshire", "Devon and Cornwall", "Dorset", "Durham", "Dyfed-Powys", "Essex", "Gloucestershire",
                             "Greater Manchester", "Gwent", "Hampshire", "Hertfordshire", "Humberside", "Kent", "Lancashire",
                             "Leicestershire", "Lincolnshire", "Merseyside", "Metropolitan", "Norfolk", "North Wales",
                             "Northamptonshire", "Northumbria", "North Yorkshire", "Nottinghamshire", "South Wales",
                             "South Yorkshire", "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley",
                             "Warwickshire", "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire", "City of London"]

    let complaintsCSV: String
    let forcesCSV: String
    /// One row per officer for most officers (some never appear, so a join
    /// leaves rows without a partner): rank, grade, the day they joined.
    let personnelCSV: String
    /// Officer ids that occur, for conditions on them.
    let officerIDs: [String]
    /// The latest reported day: a bare CSV's as-of date, where `since` and `last` end.
    let asOf: Int

    init(seed: UInt64, allegations: Int = 4_000) {
        var rng = SeededRandom(seed: seed)
        let officers = (1...700).map { String(format: "OF%04d", $0) }
        let firstDay = Day.number(2018, 1, 1), lastDay = Day.number(2024, 4, 30)
        var lines = ["case_id,officer_id,allegation_id,outcome,allegation_type,force,suspended,reported,finalised,days_to_close,compensation"]
        var usedOfficers = Set<String>()
        var row = 0, caseNumber = 0, latest = firstDay
        while row < allegations {
            caseNumber += 1
            let caseID = String(format: "CM%05d", caseNumber)
            // One reported date per case, as exports have; some cases have none.
            let reported: Int? = rng.chance(0.04) ? nil : Int.random(in: firstDay...lastDay, using: &rng)
            latest = max(latest, reported ?? latest)
            let caseOfficers = (0..<Int.random(in: 1...3, using: &rng)).map { _ in rng.skewed(officers) }
            let force = rng.skewed(DifferentialData.forceNames)
            for _ in 0..<Int.random(in: 1...4, using: &rng) where row < allegations {
                row += 1
                let officer = rng.chance(0.02) ? "" : rng.pick(caseOfficers)
                if !officer.isEmpty { usedOfficers.insert(officer) }
                let outcome = rng.chance(0.05) ? "" : rng.skewed(DifferentialData.outcomes)
                let type = rng.chance(0.03) ? "" : rng.skewed(DifferentialData.allegationTypes)
                let suspended = rng.chance(0.05) ? "" : (rng.chance(0.2) ? "true" : "false")
                let days: Int? = rng.chance(0.08) ? nil : Int.random(in: 0...720, using: &rng)
                let finalised: Int? = reported.flatMap { r in days.flatMap { d in rng.chance(0.15) ? nil : r + d } }
                let compensation = rng.chance(0.6) ? "" : String(format: "%.2f", Double(Int.random(in: 0...250_000, using: &rng)) / 100)
                let fields = [caseID, officer, String(format: "AL%06d", row), DifferentialData.csvField(outcome),
                              DifferentialData.csvField(type), DifferentialData.csvField(force), suspended,
                              reported.map(DifferentialData.iso) ?? "", finalised.map(DifferentialData.iso) ?? "",
                              days.map { "\($0)" } ?? "", compensation]
                lines.append(fields.joined(separator: ","))
            }
        }
        complaintsCSV = lines.joined(separator: "\n") + "\n"
        officerIDs = officers.filter(usedOfficers.contains)
        asOf = latest

        var forces = ["force,region,staff,complaints_recorded,cases_to_answer,spend_m"]
        for (i, name) in DifferentialData.forceNames.enumerated() {
            let staff = Int.random(in: 900...45_000, using: &rng)
            let complaints = staff / Int.random(in: 8...20, using: &rng)
            let toAnswer = rng.chance(0.1) ? "" : String(Int.random(in: 0...max(1, complaints / 10), using: &rng))
            let spend = rng.chance(0.1) ? "" : String(format: "%.1f", Double(Int.random(in: 50...9_000, using: &rng)) / 10)
            forces.append([DifferentialData.csvField(name), DifferentialData.regions[i % DifferentialData.regions.count],
                           rng.chance(0.07) ? "" : String(staff), String(complaints), toAnswer, spend].joined(separator: ","))
        }
        forcesCSV = forces.joined(separator: "\n") + "\n"

        // Its own stream, so the other files (and every other shape's
        // questions) are what they were before it was added.
        var prng = SeededRandom(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        var personnel = ["officer_id,rank,grade,joined_on"]
        for o in officers where prng.chance(0.8) {
            let rank = prng.chance(0.05) ? "" : prng.skewed(DifferentialData.ranks)
            let grade = prng.chance(0.05) ? "" : String(Int.random(in: 1...9, using: &prng))
            let joined = prng.chance(0.05) ? "" : DifferentialData.iso(Int.random(in: Day.number(1990, 1, 1)...Day.number(2023, 12, 31), using: &prng))
            personnel.append([o, rank, grade, joined].joined(separator: ","))
        }
        personnelCSV = personnel.joined(separator: "\n") + "\n"
    }

    static let ranks = ["Constable", "Sergeant", "Inspector", "Chief Inspector", "Superintendent", "Police staff"]

    static func iso(_ day: Int) -> String {
        let c = Day.civil(day)
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// DuckDB reads the files with the types stated, not sniffed, so a type
    /// is the generator's decision and not either engine's guess.
    static func duckdbSetup(complaints: String, forces: String, personnel: String) -> [String] {
        func quoted(_ path: String) -> String { "'" + path.replacingOccurrences(of: "'", with: "''") + "'" }
        return [
            """
            CREATE VIEW complaints AS SELECT * FROM read_csv(\(quoted(complaints)), header = true, auto_detect = false,
              columns = {'case_id': 'VARCHAR', 'officer_id': 'VARCHAR', 'allegation_id': 'VARCHAR', 'outcome': 'VARCHAR',
                         'allegation_type': 'VARCHAR', 'force': 'VARCHAR', 'suspended': 'BOOLEAN', 'reported': 'DATE',
                         'finalised': 'DATE', 'days_to_close': 'BIGINT', 'compensation': 'DOUBLE'})
            """,
            """
            CREATE VIEW forces AS SELECT * FROM read_csv(\(quoted(forces)), header = true, auto_detect = false,
              columns = {'force': 'VARCHAR', 'region': 'VARCHAR', 'staff': 'BIGINT', 'complaints_recorded': 'BIGINT',
                         'cases_to_answer': 'BIGINT', 'spend_m': 'DOUBLE'})
            """,
            """
            CREATE VIEW personnel AS SELECT * FROM read_csv(\(quoted(personnel)), header = true, auto_detect = false,
              columns = {'officer_id': 'VARCHAR', 'rank': 'VARCHAR', 'grade': 'BIGINT', 'joined_on': 'DATE'})
            """,
        ]
    }

    /// The same files for misq: loaded as bare CSVs, with the units an
    /// allegation-level export has.
    static func misqSetup(complaints: String, forces: String, personnel: String) -> String {
        """
        load "\(complaints)" as complaints period reported
        load "\(forces)" as forces
        load "\(personnel)" as personnel
        unit allegations = rows from complaints
        unit cases = distinct case_id from complaints
        unit officers = distinct officer_id from complaints
        """
    }
}
