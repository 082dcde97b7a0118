import Foundation
import MisqCLI

// Stdout is a pipe in scripts and CI: flush on exit, not line by line.
MisqCLI.leavesSessionToExit = true
let code = MisqCLI.execute(Array(CommandLine.arguments.dropFirst()), console: Console(collect: false))
exit(code)
