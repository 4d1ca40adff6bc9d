// Declarations only: LLVMFuzzerRunDriver is defined by libFuzzer, which
// `-sanitize=fuzzer` links into every fuzz target.
#include "CFuzzDriver.h"
