#!/bin/bash
# The routes certd serves (`certd routes`, from its one route table) and
# the paths and methods of api/openapi.yaml must be the same set.
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
PY=/usr/bin/python3
[ -x "$CERTD" ] || { echo "no certd at $CERTD"; exit 1; }
$PY -c 'import yaml' 2>/dev/null || { echo "SKIP: python3-yaml"; exit 77; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$CERTD" routes | sort >"$T/served"
$PY - "$SK_SOURCE_DIR/api/openapi.yaml" >"$T/spec.unsorted" <<'PYEOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
assert spec["openapi"].startswith("3.1"), "not OpenAPI 3.1"
methods = {"get", "put", "post", "delete", "options", "head", "patch",
           "trace"}
for path, item in spec["paths"].items():
    for m in item:
        if m in methods:
            print(m.upper(), path)
PYEOF
sort "$T/spec.unsorted" >"$T/spec"
pass=0 fail=0
if [ -s "$T/served" ]; then pass=$((pass + 1)); else
	echo "FAIL certd routes printed nothing"; fail=$((fail + 1)); fi
if diff -u "$T/spec" "$T/served"; then pass=$((pass + 1)); else
	echo "FAIL spec (-) and served (+) routes differ"; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
