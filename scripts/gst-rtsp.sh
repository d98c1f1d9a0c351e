#!/usr/bin/env bash
# Installs GStreamer's RTSP server for Debian's python3 when it is missing: the video tests serve their generated mp4
# over RTSP (TCP and UDP) with tests/Visage.Video.Tests/rtsp_server.py. Nothing is decoded there, so the H.264
# demuxer, parser and RTP payloader (plugins-good, plugins-bad) are all it needs besides the server library.
set -euo pipefail
typelib=/usr/lib/$(uname -m)-linux-gnu/girepository-1.0/GstRtspServer-1.0.typelib
"$(dirname "$0")/ensure-debian.sh" "$typelib" python3-gi gir1.2-gst-rtsp-server-1.0 \
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
