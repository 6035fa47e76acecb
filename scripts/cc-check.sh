#!/bin/sh
# Compile one C file on its own with both compilers and the project's
# warnings, without linking: a quick check before a file joins the build.
# Usage: scripts/cc-check.sh FILE.c [extra flags]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
f=$1; shift
W="-std=c17 -Wall -Wextra -Wpedantic -Wformat=2 -Wvla -Wshadow
-Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wcast-qual
-Wwrite-strings -Wundef -Wimplicit-fallthrough -Wnull-dereference
-Wdouble-promotion -Werror -O2 -D_FORTIFY_SOURCE=3 -DOPENSSL_API_COMPAT=30000
-DOPENSSL_NO_DEPRECATED -D_DEFAULT_SOURCE -DSK_BUILDING_LIBRARY"
I="-I$top/include -I$top/sealkit/lib -I$top/sealkit/tool -I$top/tests/lib
$(pkg-config --cflags jansson libqrencode libpng zbar)"
# shellcheck disable=SC2086
gcc $W $I "$@" -c "$f" -o /dev/null
# shellcheck disable=SC2086
clang $W $I "$@" -c "$f" -o /dev/null
echo "cc-check: $f clean with gcc and clang"
