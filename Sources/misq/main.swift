import Foundation
import MisqCLI

MisqCLI.leavesSessionToExit = true
// Stdout is a pipe in scripts and CI: flush on exit, not line by line.
let code = MisqCLI.execute(Array(CommandLine.arguments.dropFirst()), console: Console(collect: false))
exit(code)
