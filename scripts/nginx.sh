#!/usr/bin/env bash
# Installs Debian's nginx (nginx-light) when it is missing: the replica test runs deploy/nginx/visage.conf with it.
# The test starts its own nginx in the foreground on a free loopback port; the package's own service is not used.
set -euo pipefail

if [[ -x /usr/sbin/nginx ]]; then
  exit 0
fi
command -v apt-get >/dev/null || { echo "nginx.sh: /usr/sbin/nginx is missing and apt-get is not available" >&2; exit 1; }
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "nginx.sh: installing Debian's nginx-light" >&2
$sudo apt-get update -qq
# policy-rc.d 101: the package must not start its service (port 80) on a machine that only runs tests.
policy=/usr/sbin/policy-rc.d
created=""
if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' | $sudo tee $policy >/dev/null; $sudo chmod +x $policy; created=1; fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
[[ -z $created ]] || $sudo rm -f $policy
/usr/sbin/nginx -v
