import Dispatch
import Foundation

enum Terminal {
    /// Columns and rows of the terminal on standard output, if it is one.
    static func size() -> (columns: Int, rows: Int)? {
        var w = winsize()
        guard isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 else { return nil }
        return (Int(w.ws_col), Int(w.ws_row))
    }
}

/// A one-line "running…" indicator on standard error that appears only when
/// work takes longer than two seconds, and is wiped before anything else is
/// printed.
final class Progress {
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var shown = false
    private var started = Date()

    func start() {
        lock.lock(); defer { lock.unlock() }
        started = Date()
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + 2, repeating: 0.5)
        t.setEventHandler { [weak self] in self?.tick() }
        t.resume()
        timer = t
    }

    private func tick() {
        lock.lock(); defer { lock.unlock() }
        guard timer != nil else { return }
        let s = Int(Date().timeIntervalSince(started))
        Output.write(STDERR_FILENO, "\r\u{1B}[2K… running (\(s) s) — Ctrl-C stops it")
        shown = true
    }

    /// Removes the line if it is showing (before other output, and at the end).
    func clear() {
        lock.lock(); defer { lock.unlock() }
        if shown { Output.write(STDERR_FILENO, "\r\u{1B}[2K"); shown = false }
    }

    func stop() {
        lock.lock()
        timer?.cancel()
        timer = nil
        lock.unlock()
        clear()
    }
}
