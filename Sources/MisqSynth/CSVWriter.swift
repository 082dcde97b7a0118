import MisqKit

enum CSVWriter {
    static let header = ["allegation_id", "case_id", "officer_id", "force", "role", "sex", "gender", "command", "reported", "finalised",
                         "source", "channel", "allegation_type", "sexual_element", "domestic_element", "criminal_allegation",
                         "linked_criminal_investigation", "daso_unit", "severity", "proceeding", "outcome", "suspended",
                         "restricted", "still_serving"]

    static func field(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : s
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func write(_ cases: [Case], people: [Person]) -> String {
        var out = header.joined(separator: ",") + "\n"
        var allegationNumber = 0
        for (ci, c) in cases.enumerated() {
            out += rows(c, caseNumber: ci + 1, firstAllegation: allegationNumber + 1, people: people)
            allegationNumber += c.allegations.count
        }
        return out
    }

    /// One case's rows, numbered from `firstAllegation`.
    static func rows(_ c: Case, caseNumber: Int, firstAllegation: Int, people: [Person]) -> String {
        var out = ""
        var allegationNumber = firstAllegation - 1
        func yn(_ b: Bool) -> String { b ? "yes" : "no" }
        for a in c.allegations {
                allegationNumber += 1
                let p = people[a.person]
                let row = [
                    "A" + pad(allegationNumber, 7), "C" + pad(caseNumber, 6), "P" + pad(p.id + 1, 5), "Met",
                    p.officer ? "Officer" : "Staff", p.sex, p.gender, p.command,
                    Day.iso(c.reported), a.finalised.map(Day.iso) ?? "",
                    c.publicComplaint ? Label.publicComplaint : Label.internalConduct, c.channel, a.type,
                    yn(a.sexualElement), yn(a.domesticElement), yn(a.criminal), yn(c.linkedCriminal), yn(c.daso),
                    a.grossMisconduct ? "Gross misconduct" : "Misconduct", a.proceeding, a.outcome,
                    yn(a.suspended), yn(a.restricted), yn(p.serving),
                ]
                out += row.map(field).joined(separator: ",") + "\n"
        }
        return out
    }
}
