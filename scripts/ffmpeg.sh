#!/usr/bin/env bash
# Installs Debian's ffmpeg (ffmpeg and ffprobe) when it is missing: Visage reads video files, RTSP, HTTP MJPEG, HLS and
# capture devices through an ffmpeg child process, and the video tests generate their test media with it.
set -euo pipefail
"$(dirname "$0")/ensure-debian.sh" /usr/bin/ffmpeg ffmpeg
