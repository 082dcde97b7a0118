/// The shape of the synthetic export: one row per allegation, with the
/// fields a professional-standards case system such as Centurion holds
/// (seed 004 names it). Labels follow the seeds' wording.
enum Label {
    static let rape = "Rape"
    static let sexualAssault = "Sexual assault"
    static let abuseOfPosition = "Abuse of position for a sexual purpose"
    static let otherSexual = "Other sexual conduct"
    static let discreditable = "Discreditable conduct"
    /// The NPCC benchmark's "inappropriate sexual conduct" types (seed 000).
    static let sexualTypes = [rape, sexualAssault, abuseOfPosition, otherSexual]
    /// The other Standards of Professional Behaviour (Police (Conduct) Regulations 2020, Schedule 2).
    static let otherStandards = [
        "Honesty and integrity", "Authority, respect and courtesy", "Equality and diversity", "Use of force",
        "Orders and instructions", "Duties and responsibilities", "Confidentiality", "Fitness for work",
        "Challenging and reporting improper conduct",
    ]

    // Outcomes as seed 000 lists them, plus pending, discontinued and would have been dismissed.
    static let nfa = "No further action"
    static let reflective = "Referral to the reflective practice review process"
    static let reductionInRank = "Reduction in rank"
    static let writtenWarning = "Written warning"
    static let finalWrittenWarning = "Final written warning"
    static let extensionFWW = "Extension of final written warning"
    static let dismissalWithNotice = "Dismissal with notice"
    static let dismissalWithoutNotice = "Dismissal without notice"
    static let wouldHaveBeenDismissed = "Would have been dismissed"
    static let pending = "Pending"
    static let discontinued = "Discontinued"
    static let dismissals = [dismissalWithNotice, dismissalWithoutNotice, wouldHaveBeenDismissed]

    static let meeting = "Misconduct meeting"
    static let hearing = "Misconduct hearing"
    static let accelerated = "Accelerated misconduct hearing"

    static let publicComplaint = "Public complaint"
    static let internalConduct = "Internal conduct"
    static let anonymous = "Internal anonymous reporting"

    static let parliamentaryEstate = "Parliamentary estate"
    static let commands = [
        ("Central West", 9), ("Central East", 9), ("Central North", 9), ("Central South", 9), ("North West", 8),
        ("North East", 8), ("South West", 8), ("South East", 8), ("East", 7), ("West", 7), ("Specialist Operations", 6),
        ("Met Operations", 6), ("Frontline Policing HQ", 3), (parliamentaryEstate, 2), ("Professionalism", 1),
    ]
}

struct Person {
    var id: Int
    var officer: Bool
    var sex: String
    var gender: String
    var command: String
    var serving: Bool
}

struct Allegation {
    var person: Int
    var type: String
    var sexualElement: Bool
    var domesticElement: Bool
    var criminal: Bool
    var grossMisconduct: Bool
    var proceeding: String
    var outcome: String
    var finalised: Int?
    var suspended: Bool
    var restricted: Bool

    var isVAWG: Bool {
        Label.sexualTypes.contains(type) || (type == Label.discreditable && (sexualElement || domesticElement))
    }
    var isSexualOffence: Bool { criminal && Label.sexualTypes.contains(type) }
    var isGMDismissal: Bool { grossMisconduct && Label.dismissals.contains(outcome) }
}

struct Case {
    var reported: Int
    var publicComplaint: Bool
    var channel: String
    var daso: Bool
    var linkedCriminal: Bool
    /// Part of a calibrated cohort: adjustment passes leave it alone.
    var planted: String?
    var allegations: [Allegation]

    var isVAWG: Bool { allegations.contains { $0.isVAWG } }
}
