#ifndef KBTOOL_BUILD_INFO_H
#define KBTOOL_BUILD_INFO_H

/// The git commit kbtool was built from (KBTOOL_COMMIT at build time), or "unknown".
const char *kbtool_build_commit(void);

#endif
