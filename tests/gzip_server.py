"""A static server that compresses text with gzip, as GitHub Pages does, for the Lighthouse test."""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import threading

COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt", ".yaml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder
        if not (path.endswith(COMPRESSED) and os.path.isfile(path)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        with open(path, "rb") as fh:
            body = gzip.compress(fh.read(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(folder: str):
    """(server, base URL): serving `folder` in a daemon thread."""
    handler = functools.partial(GzipHandler, directory=folder)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"
