#!/usr/bin/env python3
"""Serves one H.264 MP4 over RTSP (TCP and UDP) for Visage's video tests, with GStreamer's RTSP server.

    rtsp_server.py PORT PATH FILE   ->   rtsp://127.0.0.1:PORT/PATH

Prints READY once listening. Every client gets its own pipeline from the start of the file: the video is demuxed
and packetized, never transcoded. Installed by scripts/gst-rtsp.sh (Debian's python3-gi, gir1.2-gst-rtsp-server-1.0,
gstreamer1.0-plugins-base/good/bad).
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> None:
    port, path, video = sys.argv[1], sys.argv[2], sys.argv[3]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f'( filesrc location="{video}" ! qtdemux ! h264parse config-interval=-1 '
        "! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )
    factory.set_shared(False)
    # The factory's default transports are UDP, UDP multicast and TCP: the client chooses (-rtsp_transport).
    server.get_mount_points().add_factory("/" + path, factory)
    if server.attach(None) == 0:
        sys.exit(f"rtsp_server.py: cannot listen on 127.0.0.1:{port}")
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
