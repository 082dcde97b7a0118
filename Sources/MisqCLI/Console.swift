import MisqKit
import Foundation

/// Where the CLI writes. The binary writes to the process's streams; tests
/// collect the text.
public final class Console {
    public private(set) var out = ""
    public private(set) var err = ""
    let collect: Bool

    public init(collect: Bool) { self.collect = collect }

    public func print(_ s: String, terminator: String = "\n") {
        if collect { out += s + terminator } else { Output.write(STDOUT_FILENO, s + terminator) }
    }

    public func error(_ s: String, terminator: String = "\n") {
        if collect { err += s + terminator } else { Output.write(STDERR_FILENO, s + terminator) }
    }

    public func report(_ error: Error, color: Bool = false) {
        self.error(DiagnosticRenderer.render(error.misqErrors, color: color), terminator: "")
    }
}
