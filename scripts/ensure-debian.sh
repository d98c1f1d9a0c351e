#!/usr/bin/env bash
# Installs Debian packages when a program (or another file) they provide is missing:
#   scripts/ensure-debian.sh /usr/sbin/nginx nginx-light
# A package's own service is not started (policy-rc.d 101 during the install): the tests start what they need themselves.
set -euo pipefail

binary=${1:?usage: ensure-debian.sh BINARY PACKAGE...}
shift
[[ -e $binary ]] && exit 0
command -v apt-get >/dev/null || { echo "ensure-debian.sh: $binary is missing and apt-get is not available" >&2; exit 1; }
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "ensure-debian.sh: installing Debian's $*" >&2
$sudo apt-get update -qq
policy=/usr/sbin/policy-rc.d
created=""
if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' | $sudo tee $policy >/dev/null; $sudo chmod +x $policy; created=1; fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
[[ -z $created ]] || $sudo rm -f $policy
[[ -e $binary ]] || { echo "ensure-debian.sh: $binary still missing after installing $*" >&2; exit 1; }
