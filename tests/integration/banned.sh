#!/bin/bash
# The banned-function list of STYLE.md, enforced on every C source of the
# project (curl's approach: the build refuses them, reviewers need not).
set -euo pipefail
cd "$SK_SOURCE_DIR"
pattern='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|sscanf|strncpy|alloca)[[:space:]]*\('
hits=$(grep -rnE "$pattern" --include='*.c' --include='*.h' \
    include sealkit certd tests bench 2>/dev/null | grep -v '^tests/integration/' || true)
if [ -n "$hits" ]; then
	echo "banned functions used:" >&2
	echo "$hits" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
# Prove the pattern works, so this test can fail.
probe=$(printf 'int f(void){ char b[4]; return sprintf(b, "x"); }\n' | grep -cE "$pattern")
[ "$probe" -eq 1 ] || { echo "pattern self-test failed" >&2; exit 1; }
echo "2 passed, 0 failed"
