#!/bin/bash
# packaging/certd.service loads (systemd-analyze verify, with ExecStart
# pointed at the built certd) and keeps its sandbox: the offline exposure
# score of `systemd-analyze security` must stay at or below a ceiling, so
# that a change that weakens the unit fails here.
set -euo pipefail

CEILING=2.0
unit="$SK_SOURCE_DIR/packaging/certd.service"
certd="$SK_BINARY_DIR/certd/certd"
command -v systemd-analyze >/dev/null || {
	echo "systemd-analyze missing (package systemd)" >&2; exit 1; }
[ -x "$certd" ] || { echo "missing $certd" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s#/usr/local/bin/certd#$certd#" "$unit" >"$work/certd.service"

pass=0 fail=0
out=$(systemd-analyze verify "$work/certd.service" 2>&1) && [ -z "$out" ] &&
    pass=$((pass + 1)) || { echo "verify: $out" >&2; fail=$((fail + 1)); }

score=$(systemd-analyze security --offline=true "$work/certd.service" 2>/dev/null |
    awk '/Overall exposure level/ { print $(NF-2) }')
if [ -n "$score" ] && awk -v s="$score" -v c="$CEILING" 'BEGIN { exit !(s <= c) }'; then
	pass=$((pass + 1))
else
	echo "exposure score '$score' above $CEILING" >&2
	fail=$((fail + 1))
fi

# The check can fail: a unit without its sandbox scores far higher.
grep -vE '^(Protect|Private|Restrict|SystemCall|Capability|NoNewPriv|Lock|Memory|ProcSubset|UMask|RemoveIPC|KeyringMode|AmbientCap)' \
    "$work/certd.service" >"$work/weak.service"
weak=$(systemd-analyze security --offline=true "$work/weak.service" 2>/dev/null |
    awk '/Overall exposure level/ { print $(NF-2) }')
if awk -v s="$weak" -v c="$CEILING" 'BEGIN { exit !(s > c) }'; then
	pass=$((pass + 1))
else
	echo "control: stripped unit scored '$weak'" >&2
	fail=$((fail + 1))
fi
echo "exposure: $score (unsandboxed control: $weak)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
