#ifndef KBTOOL_FUZZ_DRIVER_H
#define KBTOOL_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that have their own main
/// (compiler-rt/lib/fuzzer/FuzzerInterface.h). SwiftPM gives every executable
/// target a main of its own, so the fuzz targets call this instead of using
/// libFuzzer's main.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
