import MisqKit

/// The published Met figures the synthetic data must reproduce exactly,
/// each with its source. Windows are half-open day intervals [start, end).
enum Targets {
    static let asOf = Day.number(2024, 4, 30)
    static let firstDay = Day.number(2012, 1, 1)

    /// Seed 003: NPCC police-perpetrated VAWG data, new allegations and cases
    /// 1 October 2021 – 31 March 2022. Met: 241 cases involving 287
    /// allegations; 213 internally reported conduct cases against 217
    /// individuals; 28 public complaint cases against 31 individuals.
    static let npcc = Cohort(start: Day.number(2021, 10, 1), end: Day.number(2022, 4, 1), allegations: 287,
                             internalCases: 213, internalIndividuals: 217, publicCases: 28, publicIndividuals: 31)

    /// Seed 003: "the most recent six months Met data (from 1 September 2022
    /// – 28 February 2023)": 268 new allegations; 183 internal cases against
    /// 191 individuals; 28 public complaint cases against 30 individuals.
    static let recent = Cohort(start: Day.number(2022, 9, 1), end: Day.number(2023, 3, 1), allegations: 268,
                               internalCases: 183, internalIndividuals: 191, publicCases: 28, publicIndividuals: 30)

    /// Seed 001 (Met DASO update): "over the last 12 months" — read as the
    /// 12 months to the end of April 2024, since the same update cites May
    /// 2023 – April 2024 for anonymous reporting. 282 DASO cases reported in
    /// the window; 217 of them with a linked criminal investigation.
    static let dasoStart = Day.number(2023, 5, 1), dasoEnd = Day.number(2024, 5, 1)
    static let dasoCases = 282, dasoLinkedCriminal = 217
    /// Seed 001: "30 officers or staff have been dismissed and 11 would have
    /// been dismissed … for DASO gross misconduct cases (this is 26% of all
    /// Met gross misconduct dismissals)". Individuals, by finalised date in
    /// the same window. 41 / 158 = 25.9%, which rounds to 26%.
    static let dasoDismissed = 30, dasoWouldHaveBeen = 11
    static let allGrossMisconductDismissals = 158

    /// Seed 001: between May 2023 and April 2024, 28% of internal anonymous
    /// reporting related to VAWG or other sexual misconduct (cases).
    static let anonymousSharePercent = 28

    /// Seed 001: 1,636 serving officers or staff identified in the review of
    /// closed VAWG allegations reported April 2012 – April 2022 (both months
    /// included).
    static let reviewStart = Day.number(2012, 4, 1), reviewEnd = Day.number(2022, 5, 1)
    static let reviewServing = 1636

    /// Seed 004 (01.FOI.23.029932): officers on the parliamentary estate
    /// removed from duty since March 2021, data retrieved 01/06/2023.
    static let estateStart = Day.number(2021, 3, 1), estateEnd = Day.number(2023, 6, 2)
}

struct Cohort {
    var start: Int
    var end: Int
    var allegations: Int
    var internalCases: Int
    var internalIndividuals: Int
    var publicCases: Int
    var publicIndividuals: Int

    func contains(_ day: Int) -> Bool { day >= start && day < end }
}
