// The entry point. SwiftPM gives every executable its own main (on Linux it
// links with `--defsym main=<Target>_main`), so libFuzzer's main cannot be used;
// this one hands the command line to libFuzzer, which calls `fuzz` with each
// input. The flags are libFuzzer's own (see scripts/fuzz).
import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data, size) })
