import CReadline
import Foundation
import MisqKit

/// GNU readline, wrapped: a prompt with line editing, Ctrl-R search and
/// history kept in a file; Tab asks the Completer. Readline's callbacks are
/// C function pointers that cannot capture, so the one editor in a process
/// is reached through `LineEditor.current`.
final class LineEditor {
    nonisolated(unsafe) static var current: LineEditor?

    let historyFile: HistoryFile
    let completer: Completer
    private(set) var history: [String] = []
    static let historyLimit = HistoryFile.limit
    /// Said once, on standard error, if the history cannot be saved.
    var onSaveFailure: (String) -> Void = { _ in }
    private var saveFailed = false
    /// The candidates for the Tab being answered.
    fileprivate var pending: [String] = []
    /// Set by Ctrl-C while reading: the caller drops its unfinished statement.
    var abandoned = false

    init(completer: Completer, historyPath: String) {
        self.completer = completer
        self.historyFile = HistoryFile(path: historyPath)
        LineEditor.current = self
        rl_readline_name = UnsafePointer(strdup("misq"))
        // Where a word starts: after spaces, quotes and the language's symbols.
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"'(),=<>~;"))
        // …except inside an open string or backticked name: there the word
        // is all of it after the quote (Completer.wordStart).
        rl_completion_word_break_hook = misqWordBreaks
        // Readline would end a word begun after a quote with that quote,
        // closing `load "exports/` after a folder; `Completer.appended`
        // decides what follows a completion instead.
        rl_basic_quote_characters = UnsafePointer(strdup(""))
        rl_attempted_completion_function = misqCompletion
        rl_variable_bind("completion-ignore-case", "on")
        // One Tab inserts the longest common prefix and lists the candidates.
        rl_variable_bind("show-all-if-ambiguous", "on")
        // misq handles Ctrl-C itself: abandon the line, or interrupt a query.
        rl_catch_signals = 0
        loadHistory()
    }

    /// A line, or nil at end of input (Ctrl-D).
    func read(prompt: String) -> String? {
        guard let p = readline(prompt) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    // MARK: history

    /// Why history is off for this session (a device, a FIFO, a huge file),
    /// said once when the REPL starts; nothing is then read or saved.
    private(set) var historyOff: String?

    func loadHistory() {
        historyOff = historyFile.refusal()
        guard historyOff == nil else { return }
        history = historyFile.load()
        for h in history { add_history(h) }
    }

    /// Adds an entry, dropping any earlier copy of it, and saves at once so
    /// nothing is lost however the session ends (merged with what other
    /// sessions saved meanwhile: see HistoryFile).
    func remember(_ entry: String) {
        let e = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !e.isEmpty else { return }
        let hadCopy = history.contains(e)
        history.removeAll { $0 == e }
        history.append(e)
        if history.count > LineEditor.historyLimit { history.removeFirst(history.count - LineEditor.historyLimit) }
        if hadCopy || history_length >= Int32(LineEditor.historyLimit) {
            clear_history()
            for h in history { add_history(h) }
        } else {
            add_history(e)
        }
        guard historyOff == nil else { return }
        do { try historyFile.append(e) } catch {
            if !saveFailed { saveFailed = true; onSaveFailure("note: history not saved: " + (error.misqErrors.first?.message ?? "\(error)")) }
        }
    }

    // MARK: Ctrl-C

    /// Drops the line being edited and shows a fresh prompt.
    func abandonLine(prompt: String) {
        abandoned = true
        rl_replace_line("", 0)
        rl_crlf()
        rl_set_prompt(prompt)
        rl_on_new_line()
        rl_redisplay()
    }
}

/// Readline's completion entry: the word under the cursor is line[start..<end].
private func misqCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1  // never fall back to readline's file names
    guard let editor = LineEditor.current, let text = text, let buffer = rl_line_buffer else { return nil }
    let line = Array(String(cString: buffer).utf8)
    let s = max(0, min(Int(start), line.count))
    let context = String(decoding: line[0..<s], as: UTF8.self)
    let word = String(cString: text)
    // A label holding a control character cannot be typed, and readline
    // would print it raw when listing candidates: it is not offered.
    editor.pending = editor.completer.candidates(before: context, word: word, files: listFiles)
        .filter { !$0.unicodeScalars.contains(where: TerminalText.isControl) }
    rl_completion_append_character = Int32(Completer.appended(after: editor.pending, context: context)?.asciiValue ?? 0)
    if editor.pending.isEmpty { return nil }
    // Readline's list: what to insert, then the candidates, then NULL, all
    // malloc'd (readline frees them). What to insert is the Completer's
    // exact common prefix, not readline's (which, ignoring case, would
    // pick one of "Gun Fired" and "Gun fired").
    let candidates = editor.pending
    editor.pending = []
    let shown = candidates.count == 1 ? [] : candidates
    guard let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (shown.count + 2)) else { return nil }
    let list = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: shown.count + 2)
    list[0] = strdup(candidates.count == 1 ? candidates[0] : Completer.commonPrefix(of: candidates, word: word))
    for (i, c) in shown.enumerated() { list[i + 1] = strdup(c) }
    list[shown.count + 1] = nil
    return list
}

/// The characters that end a word for this completion: only the open
/// quote inside a string or backticked name, else the usual ones (nil).
private func misqWordBreaks() -> UnsafeMutablePointer<CChar>? {
    guard let buffer = rl_line_buffer else { return nil }
    let line = Array(String(cString: buffer).utf8)
    let point = max(0, min(Int(rl_point), line.count))
    switch Completer.wordStart(before: String(decoding: line[0..<point], as: UTF8.self)) {
    case "\""?: return doubleQuoteBreak
    case "'"?: return singleQuoteBreak
    case "`"?: return backtickBreak
    default: return nil
    }
}
// Readline keeps what the hook returns without freeing it: made once.
nonisolated(unsafe) private let doubleQuoteBreak = strdup("\"")
nonisolated(unsafe) private let singleQuoteBreak = strdup("'")
nonisolated(unsafe) private let backtickBreak = strdup("`")

/// Files and folders for `load "…"` and `.run`, relative to the current folder.
private func listFiles(_ prefix: String) -> [String] { Completer.files(matching: prefix) }
