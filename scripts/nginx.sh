#!/usr/bin/env bash
# Installs Debian's nginx (nginx-light) when it is missing: the replica test runs deploy/nginx/visage.conf with it,
# in the foreground on a free loopback port (the package's own service is not used).
set -euo pipefail
"$(dirname "$0")/ensure-debian.sh" /usr/sbin/nginx nginx-light
