#include "kbtool_build_info.h"

// Package.swift defines KBTOOL_COMMIT from the build's environment. A C define
// rather than Swift: only this file recompiles when the commit changes.
#ifndef KBTOOL_COMMIT
#define KBTOOL_COMMIT "unknown"
#endif

const char *kbtool_build_commit(void) { return KBTOOL_COMMIT; }
