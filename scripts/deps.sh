#!/bin/sh
# Install the Debian 12 packages certd and sealkit need to build, test and
# run; only those that are missing (idempotent).  Needs root or sudo for the
# install step.  Usage: scripts/deps.sh
set -eu

PKGS="build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
llvm git ca-certificates openssl libssl-dev zlib1g-dev libjansson-dev
libqrencode-dev qrencode libpng-dev libzbar-dev zbar-tools liblmdb-dev lmdb-utils
libmicrohttpd-dev libcurl4-openssl-dev curl libseccomp-dev python3
python3-cbor2 python3-yaml jq binutils file systemd"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi
echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
