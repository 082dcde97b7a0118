import MisqKit

/// Builds the synthetic allegations: a background at realistic volumes for
/// a force the Met's size, cohorts planted to hit each published figure in
/// its window, then deterministic adjustments for the figures that cut
/// across the whole file. Every choice draws from one seeded generator.
public struct Generator {
    var rng: SplitMix64
    var people: [Person] = []
    var cases: [Case] = []
    /// People already used by a planted cohort, so cohorts never share anyone.
    var reserved = Set<Int>()

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// The default seed, the one the committed file was written with.
    public static let defaultSeed: UInt64 = 20240430

    /// The whole CSV text for a seed.
    public static func csv(seed: UInt64) -> (text: String, rows: Int, cases: Int) {
        var g = Generator(seed: seed)
        let cases = g.run()
        return (CSVWriter.write(cases, people: g.people), cases.reduce(0) { $0 + $1.allegations.count }, cases.count)
    }

    mutating func run() -> [Case] {
        makePeople(44_000)
        background()
        plantCohort(Targets.npcc, name: "npcc")
        plantCohort(Targets.recent, name: "recent")
        plantDASO()
        plantParliamentaryEstate()
        adjustGrossMisconductDismissals()
        adjustAnonymousShare()
        settleServing()
        adjustReview()
        cases.sort { $0.reported != $1.reported ? $0.reported < $1.reported : false }
        return cases
    }

    // MARK: people

    mutating func makePeople(_ n: Int) {
        for id in 0..<n {
            let officer = rng.chance(72)
            let male = rng.chance(officer ? 70 : 42)
            var gender = male ? "Man" : "Woman"
            let g = rng.below(1000)
            if g < 8 { gender = "Non-binary" } else if g < 20 { gender = "Not recorded" }
            people.append(Person(id: id, officer: officer, sex: male ? "Male" : "Female", gender: gender,
                                 command: rng.weighted(Label.commands), serving: rng.chance(72)))
        }
    }

    func isEstate(_ p: Int) -> Bool { people[p].command == Label.parliamentaryEstate }

    /// A person not in any planted cohort, optionally never on the estate.
    mutating func freshPerson(avoidEstate: Bool, officerOnly: Bool = false, estateOnly: Bool = false) -> Int {
        while true {
            let p = rng.below(people.count)
            if reserved.contains(p) { continue }
            if avoidEstate && isEstate(p) { continue }
            if estateOnly && !isEstate(p) { continue }
            if officerOnly && !people[p].officer { continue }
            reserved.insert(p)
            return p
        }
    }

    // MARK: background

    mutating func background() {
        var (y, m) = (2012, 1)
        while Day.number(y, m, 1) <= Targets.asOf {
            let start = Day.number(y, m, 1)
            let days = min(Day.daysInMonth(y, m), Targets.asOf - start + 1)
            var vawg = rng.int(34...46)
            if Targets.npcc.contains(start) || Targets.recent.contains(start) { vawg = 0 }  // planted instead
            if start >= Targets.dasoStart { vawg = rng.int(8...14) }  // handled locally, not by DASO
            let other = rng.int(85...115)
            for k in 0..<(vawg + other) {
                let reported = start + rng.below(days)
                var c = makeCase(reported: reported, vawg: k < vawg)
                if reported >= Targets.dasoStart { c.daso = false }
                cases.append(c)
            }
            m += 1
            if m == 13 { m = 1; y += 1 }
        }
    }

    mutating func channel(publicComplaint: Bool, reported: Int) -> String {
        if publicComplaint { return Label.publicComplaint }
        let hotline = reported >= Day.number(2022, 3, 1) ? 5 : 0  // Crimestoppers hotline, seeds 000 and 001
        return rng.weighted([("Line management", 40), ("Colleague report", 30), (Label.anonymous, 15),
                             ("Vetting and integrity checks", 10), ("Crimestoppers integrity hotline", hotline)])
    }

    mutating func makeCase(reported: Int, vawg: Bool) -> Case {
        let isPublic = rng.chance(vawg ? 12 : 45)
        let persons = rng.weighted([(1, 92), (2, 7), (3, 1)])
        var chosen: [Int] = []
        while chosen.count < persons {
            let p = rng.below(people.count)
            if !chosen.contains(p), !reserved.contains(p) { chosen.append(p) }
        }
        var allegations: [Allegation] = []
        for p in chosen {
            let n = rng.weighted([(1, 75), (2, 20), (3, 5)])
            for k in 0..<n {
                var a = makeAllegation(person: p, reported: reported, vawg: vawg && (k == 0 || rng.chance(70)))
                // On the estate, background rows in seed 004's window are never
                // criminal: the FOI's figures come from the planted cohort alone.
                if isEstate(p), reported >= Targets.estateStart, reported < Targets.estateEnd { a.criminal = false }
                allegations.append(a)
            }
        }
        let vawgOrDA = allegations.contains { $0.isVAWG || $0.domesticElement }
        let criminal = allegations.contains { $0.criminal }
        var c = Case(reported: reported, publicComplaint: isPublic, channel: channel(publicComplaint: isPublic, reported: reported),
                     daso: vawgOrDA && reported >= Day.number(2022, 10, 1) && rng.chance(85),
                     linkedCriminal: criminal ? rng.chance(90) : rng.chance(3), planted: nil, allegations: allegations)
        // A DASO case outside the window must not add to the window's DASO dismissals.
        if c.daso {
            for i in c.allegations.indices where c.allegations[i].isGMDismissal && (c.allegations[i].finalised ?? 0) >= Targets.dasoStart {
                c.allegations[i].outcome = Label.finalWrittenWarning
            }
        }
        return c
    }

    mutating func vawgType() -> (String, sexual: Bool, domestic: Bool) {
        rng.weighted([((Label.rape, false, false), 8), ((Label.sexualAssault, false, false), 17),
                      ((Label.abuseOfPosition, false, false), 12), ((Label.otherSexual, false, false), 28),
                      ((Label.discreditable, true, false), 20), ((Label.discreditable, false, true), 15)])
    }

    mutating func makeAllegation(person: Int, reported: Int, vawg: Bool) -> Allegation {
        var type: String, sexual = false, domestic = false
        if vawg { (type, sexual, domestic) = vawgType() }
        else { type = rng.chance(22) ? Label.discreditable : rng.pick(Label.otherStandards) }
        let criminalPercent: Int
        switch type {
        case Label.rape, Label.sexualAssault: criminalPercent = 85
        case Label.abuseOfPosition: criminalPercent = 40
        case Label.otherSexual: criminalPercent = 15
        case Label.discreditable: criminalPercent = domestic ? 55 : (sexual ? 10 : 6)
        default: criminalPercent = 4
        }
        let criminal = rng.chance(criminalPercent)
        let gmPercent = [Label.rape, Label.sexualAssault, Label.abuseOfPosition].contains(type) ? 85 : (vawg ? 42 : 20)
        let gross = rng.chance(gmPercent)
        var a = Allegation(person: person, type: type, sexualElement: sexual, domesticElement: domestic, criminal: criminal,
                           grossMisconduct: gross, proceeding: "", outcome: Label.pending, finalised: nil,
                           suspended: false, restricted: false)
        let finalised = reported + (gross ? rng.int(90...900) : rng.int(30...420))
        if finalised <= Targets.asOf { conclude(&a, on: finalised) }
        if gross && criminal { a.suspended = rng.chance(35) } else if gross { a.suspended = rng.chance(10) } else { a.suspended = rng.chance(2) }
        if !a.suspended { a.restricted = rng.chance(gross && criminal ? 45 : (gross ? 20 : 8)) }
        return a
    }

    /// An outcome consistent with the severity: dismissal and reduction in
    /// rank only at hearings (gross misconduct), warnings at meetings.
    mutating func conclude(_ a: inout Allegation, on day: Int, outcome forced: String? = nil) {
        a.finalised = day
        if a.grossMisconduct {
            a.outcome = forced ?? rng.weighted([(Label.nfa, 18), (Label.discontinued, 8), (Label.reflective, 4), (Label.writtenWarning, 10),
                                               (Label.finalWrittenWarning, 18), (Label.extensionFWW, 2), (Label.reductionInRank, 4),
                                               (Label.dismissalWithNotice, 4), (Label.dismissalWithoutNotice, 22), (Label.wouldHaveBeenDismissed, 10)])
            switch a.outcome {
            case Label.discontinued: a.proceeding = ""
            case Label.nfa, Label.reflective: a.proceeding = rng.chance(40) ? Label.hearing : ""
            case Label.dismissalWithoutNotice, Label.wouldHaveBeenDismissed: a.proceeding = rng.chance(25) ? Label.accelerated : Label.hearing
            default: a.proceeding = Label.hearing
            }
        } else {
            a.outcome = forced ?? rng.weighted([(Label.nfa, 30), (Label.discontinued, 8), (Label.reflective, 30), (Label.writtenWarning, 20),
                                               (Label.finalWrittenWarning, 10), (Label.extensionFWW, 2)])
            switch a.outcome {
            case Label.discontinued: a.proceeding = ""
            case Label.nfa, Label.reflective: a.proceeding = rng.chance(40) ? Label.meeting : ""
            default: a.proceeding = Label.meeting
            }
        }
    }

    // MARK: planted cohorts

    /// Splits `individuals` people over `cases` cases: each case one person,
    /// the surplus as second people on the first cases.
    func peoplePerCase(cases: Int, individuals: Int) -> [Int] {
        (0..<cases).map { $0 < individuals - cases ? 2 : 1 }
    }

    mutating func plantCohort(_ t: Cohort, name: String) {
        var planted: [Case] = []
        for (isPublic, caseCount, individuals) in [(false, t.internalCases, t.internalIndividuals), (true, t.publicCases, t.publicIndividuals)] {
            for n in peoplePerCase(cases: caseCount, individuals: individuals) {
                let reported = t.start + rng.below(t.end - t.start)
                var allegations: [Allegation] = []
                for _ in 0..<n {
                    let p = freshPerson(avoidEstate: true)
                    allegations.append(makeAllegation(person: p, reported: reported, vawg: true))
                }
                let criminal = allegations.contains { $0.criminal }
                planted.append(Case(reported: reported, publicComplaint: isPublic,
                                    channel: channel(publicComplaint: isPublic, reported: reported),
                                    daso: reported >= Day.number(2022, 10, 1) && rng.chance(85),
                                    linkedCriminal: criminal ? rng.chance(90) : rng.chance(3), planted: name, allegations: allegations))
            }
        }
        // The allegations beyond one per person, spread over the cohort.
        let base = t.internalIndividuals + t.publicIndividuals
        for _ in 0..<(t.allegations - base) {
            let k = rng.below(planted.count)
            let p = planted[k].allegations[rng.below(planted[k].allegations.count)].person
            planted[k].allegations.append(makeAllegation(person: p, reported: planted[k].reported, vawg: true))
        }
        for k in planted.indices where planted[k].daso {
            for i in planted[k].allegations.indices where planted[k].allegations[i].isGMDismissal && (planted[k].allegations[i].finalised ?? 0) >= Targets.dasoStart {
                planted[k].allegations[i].outcome = Label.finalWrittenWarning
            }
        }
        cases += planted
    }

    mutating func plantDASO() {
        let alreadyDismissed = dismissedPeople()
        let windowDays = Targets.dasoEnd - Targets.dasoStart
        let dismissalsEnd = Day.number(2024, 1, 1)
        for k in 0..<Targets.dasoCases {
            let isDismissal = k < Targets.dasoDismissed + Targets.dasoWouldHaveBeen
            // Dismissal cases are reported early enough to be concluded in the window.
            let reported = isDismissal ? Targets.dasoStart + rng.below(dismissalsEnd - Targets.dasoStart) : Targets.dasoStart + rng.below(windowDays)
            let n = isDismissal ? 1 : rng.weighted([(1, 90), (2, 10)])
            var allegations: [Allegation] = []
            for _ in 0..<n {
                var p = freshPerson(avoidEstate: true)
                while isDismissal && alreadyDismissed.contains(p) { p = freshPerson(avoidEstate: true) }
                var a = makeAllegation(person: p, reported: reported, vawg: true)
                if isDismissal {
                    a.grossMisconduct = true
                    let outcome = k < Targets.dasoDismissed ? (k % 3 == 0 ? Label.dismissalWithNotice : Label.dismissalWithoutNotice) : Label.wouldHaveBeenDismissed
                    conclude(&a, on: reported + rng.int(14...(Targets.asOf - reported)), outcome: outcome)
                } else if a.isGMDismissal, let f = a.finalised, f >= Targets.dasoStart {
                    a.outcome = Label.finalWrittenWarning
                }
                allegations.append(a)
            }
            let isPublic = !isDismissal && rng.chance(20)
            cases.append(Case(reported: reported, publicComplaint: isPublic, channel: channel(publicComplaint: isPublic, reported: reported),
                              // The first 217, every dismissal case among them, had a linked criminal investigation.
                              daso: true, linkedCriminal: k < Targets.dasoLinkedCriminal,
                              planted: "daso", allegations: allegations))
        }
    }

    /// Seed 004's two tables, as people. Table 1, sexual offences:
    /// restricted 1, suspended 4. Table 2, criminal allegations: restricted
    /// 9, suspended 1, dismissed 2, would have been dismissed 2. Two officers
    /// appear in both ("Officers also appear in tables 1 and 2").
    mutating func plantParliamentaryEstate() {
        // Sexual-offence cases avoid the NPCC and six-month windows (they are
        // VAWG and would change those figures) and the DASO window.
        let sexualDates = [Day.number(2021, 5, 10), Day.number(2021, 8, 2), Day.number(2022, 6, 14), Day.number(2023, 3, 20), Day.number(2022, 4, 25)]
        var sexualPeople: [Int] = []
        for (k, d) in sexualDates.enumerated() {
            let p = freshPerson(avoidEstate: false, officerOnly: true, estateOnly: true)
            sexualPeople.append(p)
            var a = makeAllegation(person: p, reported: d, vawg: true)
            a.type = [Label.sexualAssault, Label.rape, Label.abuseOfPosition, Label.sexualAssault, Label.otherSexual][k]
            a.sexualElement = false; a.domesticElement = false
            a.criminal = true
            a.grossMisconduct = true
            a.suspended = k > 0
            a.restricted = k == 0
            a.finalised = nil; a.outcome = Label.pending; a.proceeding = ""
            if k == 0 { conclude(&a, on: d + 200, outcome: Label.finalWrittenWarning) }
            cases.append(Case(reported: d, publicComplaint: false, channel: "Line management", daso: false, linkedCriminal: true,
                              planted: "estate", allegations: [a]))
        }
        // Table 2: (action, person) — the dismissed and one would-have-been
        // are the officers suspended in table 1 (people 1 and 2).
        var entries: [(String, Int)] = []
        for _ in 0..<9 { entries.append(("restricted", freshPerson(avoidEstate: false, officerOnly: true, estateOnly: true))) }
        entries.append(("suspended", freshPerson(avoidEstate: false, officerOnly: true, estateOnly: true)))
        entries.append(("dismissed", sexualPeople[1]))
        entries.append(("dismissed", freshPerson(avoidEstate: false, officerOnly: true, estateOnly: true)))
        entries.append(("would", sexualPeople[2]))
        entries.append(("would", freshPerson(avoidEstate: false, officerOnly: true, estateOnly: true)))
        let types = ["Honesty and integrity", "Use of force", Label.discreditable, "Confidentiality"]
        for (k, (action, p)) in entries.enumerated() {
            let d = Targets.estateStart + rng.below(Day.number(2022, 12, 1) - Targets.estateStart)
            var a = Allegation(person: p, type: types[k % types.count], sexualElement: false, domesticElement: false, criminal: true,
                               grossMisconduct: action != "restricted", proceeding: "", outcome: Label.pending, finalised: nil,
                               suspended: action == "suspended", restricted: action == "restricted")
            switch action {
            case "dismissed": conclude(&a, on: d + rng.int(60...140), outcome: Label.dismissalWithoutNotice)
            case "would": conclude(&a, on: d + rng.int(60...140), outcome: Label.wouldHaveBeenDismissed)
            default: break
            }
            cases.append(Case(reported: d, publicComplaint: false, channel: "Line management", daso: false, linkedCriminal: true,
                              planted: "estate", allegations: [a]))
        }
    }

    // MARK: adjustments

    func dismissedPeople() -> Set<Int> {
        var s = Set<Int>()
        for c in cases { for a in c.allegations where Label.dismissals.contains(a.outcome) { s.insert(a.person) } }
        return s
    }

    /// Non-DASO gross misconduct dismissals concluded in the DASO window:
    /// 158 in all less the 41 DASO ones.
    mutating func adjustGrossMisconductDismissals() {
        let target = Targets.allGrossMisconductDismissals - Targets.dasoDismissed - Targets.dasoWouldHaveBeen
        func inWindow(_ a: Allegation) -> Bool { (a.finalised ?? 0) >= Targets.dasoStart && (a.finalised ?? 0) < Targets.dasoEnd }
        // The NPCC and six-month cohorts fix counts by reported date, not
        // outcomes, so their outcomes may move; DASO and estate ones may not.
        func adjustable(_ c: Case) -> Bool { !c.daso && c.planted != "daso" && c.planted != "estate" }
        var counted: [Int] = []  // people, in first-seen order
        var seen = Set<Int>()
        for c in cases where !c.daso {
            for a in c.allegations where a.isGMDismissal && inWindow(a) && seen.insert(a.person).inserted { counted.append(a.person) }
        }
        if counted.count > target {
            let drop = Set(counted.suffix(counted.count - target))
            for ci in cases.indices where adjustable(cases[ci]) {
                for ai in cases[ci].allegations.indices where drop.contains(cases[ci].allegations[ai].person)
                    && cases[ci].allegations[ai].isGMDismissal && inWindow(cases[ci].allegations[ai]) {
                    cases[ci].allegations[ai].outcome = Label.finalWrittenWarning
                    cases[ci].allegations[ai].proceeding = Label.hearing
                }
            }
        } else if counted.count < target {
            var need = target - counted.count
            var dismissed = dismissedPeople()
            for ci in cases.indices where need > 0 && adjustable(cases[ci]) {
                for ai in cases[ci].allegations.indices where need > 0 {
                    let a = cases[ci].allegations[ai]
                    guard a.grossMisconduct, inWindow(a), !dismissed.contains(a.person), !isEstate(a.person) else { continue }
                    cases[ci].allegations[ai].outcome = Label.dismissalWithoutNotice
                    cases[ci].allegations[ai].proceeding = Label.hearing
                    dismissed.insert(a.person)
                    need -= 1
                }
            }
        }
    }

    /// 28% of internal anonymous reports in the DASO window are VAWG or
    /// other sexual misconduct: move non-VAWG background cases in or out of
    /// the anonymous channel until the share rounds to 28%.
    mutating func adjustAnonymousShare() {
        func sexualOrVAWG(_ c: Case) -> Bool { c.allegations.contains { $0.isVAWG || $0.sexualElement } }
        let window = cases.indices.filter { cases[$0].reported >= Targets.dasoStart && cases[$0].reported < Targets.dasoEnd && !cases[$0].publicComplaint }
        let a = window.filter { cases[$0].channel == Label.anonymous && sexualOrVAWG(cases[$0]) }.count
        var n = window.filter { cases[$0].channel == Label.anonymous }.count
        func share() -> Double { n == 0 ? 0 : 100 * Double(a) / Double(n) }
        for i in window where share() >= Double(Targets.anonymousSharePercent) + 0.5 {
            if cases[i].planted == nil, cases[i].channel != Label.anonymous, !sexualOrVAWG(cases[i]) { cases[i].channel = Label.anonymous; n += 1 }
        }
        for i in window where share() < Double(Targets.anonymousSharePercent) - 0.5 {
            if cases[i].planted == nil, cases[i].channel == Label.anonymous, !sexualOrVAWG(cases[i]) { cases[i].channel = "Line management"; n -= 1 }
        }
    }

    /// Anyone dismissed, or who would have been, is no longer serving.
    mutating func settleServing() {
        for p in dismissedPeople() { people[p].serving = false }
    }

    /// 1,636 serving people with a closed VAWG allegation reported April
    /// 2012 – April 2022.
    mutating func adjustReview() {
        var eligible = Set<Int>()
        for c in cases where c.reported >= Targets.reviewStart && c.reported < Targets.reviewEnd {
            for a in c.allegations where a.isVAWG && a.finalised != nil { eligible.insert(a.person) }
        }
        let dismissed = dismissedPeople()
        let ordered = eligible.sorted()
        var serving = ordered.filter { people[$0].serving }.count
        for p in ordered where serving > Targets.reviewServing && people[p].serving && !dismissed.contains(p) {
            people[p].serving = false; serving -= 1
        }
        for p in ordered where serving < Targets.reviewServing && !people[p].serving && !dismissed.contains(p) {
            people[p].serving = true; serving += 1
        }
    }
}
