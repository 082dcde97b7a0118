import Foundation
import MisqCLI

MisqCLI.leavesSessionToExit = true
// Stdout is a pipe in scripts and CI: flush on exit, not line by line.
let console = Console(collect: false)
console.checkStreams()
let code = MisqCLI.execute(Array(CommandLine.arguments.dropFirst()), console: console)
exit(console.finish(code))
