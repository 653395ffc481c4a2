#!/usr/bin/env python3
"""Serve a built static site over HTTP the way a static host does, optionally under a base path.

Standard library only. By default every response says ``Cache-Control: no-cache``, so a rebuilt
site shows at once. ``--pages`` serves as GitHub Pages does instead: gzip for the types it
compresses, ``Cache-Control: max-age=600`` and ETags (the bench measures the site this way).
From the command line::

    python3 scripts/serve.py site --port 8000 --base /gbt27922/ [--pages]

From Python (tests and the bench start it in a thread on a free port)::

    with running("site", base="/gbt27922/", quiet=True) as url:
        ...  # url == "http://127.0.0.1:PORT/gbt27922/"

A browser that drops a connection (closing a tab cancels its downloads) is not an error: the
server says nothing about it.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import gzip
import http
import http.server
import io
import os
import sys
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

# Types a static host (GitHub Pages among them) sends; mimetypes alone varies by machine.
MIME_TYPES = {
    ".css": "text/css",
    ".gif": "image/gif",
    ".gz": "application/gzip",
    ".html": "text/html",
    ".ico": "image/x-icon",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".js": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".mjs": "text/javascript",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".tar": "application/x-tar",
    ".txt": "text/plain",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".webp": "image/webp",
    ".whl": "application/zip",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".xml": "application/xml",
    ".zip": "application/zip",
}

TEXT_TYPES = {
    "text/css",
    "text/html",
    "text/javascript",
    "text/plain",
    "application/json",
    "application/xml",
    "application/manifest+json",
    "image/svg+xml",
}

#: What GitHub Pages sends gzip-compressed (it leaves .zip and .whl as they are), and how long it
#: lets a browser keep a file.
GZIP_SUFFIXES = {".css", ".html", ".js", ".json", ".map", ".mjs", ".svg", ".txt", ".wasm", ".xml"}
PAGES_CACHE_CONTROL = "max-age=600"


def normalize_base(base: str) -> str:
    """Return ``base`` as a path with one leading and one trailing slash.

    >>> normalize_base("gbt27922")
    '/gbt27922/'
    >>> normalize_base("/")
    '/'
    """
    parts = [part for part in base.split("/") if part]
    return "/" + "".join(part + "/" for part in parts)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``base``, with static-host MIME types and 404 page."""

    protocol_version = "HTTP/1.1"  # keep-alive, as browsers expect of a real host
    root = "."
    base = "/"
    quiet = False
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=self.root, **kwargs)

    def do_GET(self) -> None:
        if self._inside_base():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._inside_base():
            super().do_HEAD()

    def _inside_base(self) -> bool:
        """Answer requests outside the base path here; True if the request is inside it."""
        if self.base == "/":
            return True
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == self.base.rstrip("/"):
            location = urllib.parse.urlunsplit(("", "", self.base, parts.query, ""))
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        if not parts.path.startswith(self.base):
            self.send_error(404)
            return False
        return True

    def translate_path(self, path: str) -> str:
        parts = urllib.parse.urlsplit(path)
        inner = parts.path[len(self.base) - 1 :] if parts.path.startswith(self.base) else parts.path
        return super().translate_path(inner)

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        ctype = super().guess_type(path)
        return f"{ctype}; charset=utf-8" if ctype in TEXT_TYPES else ctype

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """A static host lists no directory: a folder without index.html is not found."""
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


class PagesHandler(SiteHandler):
    """Serves as GitHub Pages does: gzip for text and WebAssembly to browsers that accept it,
    ``Cache-Control: max-age=600``, and ETags answered with 304. Each file is compressed once."""

    compressed: dict[tuple[str, float, int], bytes] = {}
    lock = threading.Lock()

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "cache-control":
            value = PAGES_CACHE_CONTROL
        super().send_header(keyword, value)

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in GZIP_SUFFIXES and path.is_file()):
            return super().send_head()
        stat = path.stat()
        body = self.gzipped(path)
        etag = f'W/"{stat.st_size:x}-{int(stat.st_mtime):x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(http.HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self.send_response(http.HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("ETag", etag)
        self.end_headers()
        return io.BytesIO(body)

    @classmethod
    def gzipped(cls, path: Path) -> bytes:
        """The file compressed, from the cache while its size and time are unchanged."""
        stat = path.stat()
        key = (str(path), stat.st_mtime, stat.st_size)
        with cls.lock:
            if key not in cls.compressed:
                cls.compressed[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            return cls.compressed[key]

    @classmethod
    def compress_ahead(cls, paths: Iterable[Path]) -> None:
        """Compress these files now rather than on their first request."""
        for path in paths:
            if path.suffix in GZIP_SUFFIXES and path.is_file():
                cls.gzipped(path)


class SiteServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server whose handler threads never keep the process alive, and which is
    quiet about connections the browser drops."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        """The site's address, for example ``http://127.0.0.1:8000/gbt27922/``."""
        host, port = self.server_address[:2]
        handler = self.RequestHandlerClass
        return f"http://{host}:{port}{handler.base}"


def make_server(
    directory: str | os.PathLike[str] = "site",
    host: str = "127.0.0.1",
    port: int = 8000,
    base: str = "/",
    quiet: bool = False,
    handler: type[SiteHandler] = SiteHandler,
    server: type[SiteServer] = SiteServer,
) -> SiteServer:
    """Create (but do not start) a server for ``directory``; port 0 picks a free port.
    ``handler`` and ``server`` may be subclasses that serve differently.

    Example:
        >>> server = make_server("site", port=0, base="/gbt27922/", quiet=True)
        >>> server.url.endswith("/gbt27922/")
        True
        >>> server.server_close()
    """
    bound = type(
        f"Bound{handler.__name__}",
        (handler,),
        {"root": str(Path(directory).resolve()), "base": normalize_base(base), "quiet": quiet},
    )
    return server((host, port), bound)


@contextlib.contextmanager
def serving(server: SiteServer) -> Iterator[SiteServer]:
    """Run ``server`` in a background thread; stop and close it on exit."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="site-server", daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def running(
    directory: str | os.PathLike[str] = "site",
    host: str = "127.0.0.1",
    port: int = 0,
    base: str = "/",
    quiet: bool = True,
    pages: bool = False,
) -> Iterator[str]:
    """Serve ``directory`` in a background thread; yield its URL; stop on exit. ``pages``
    serves as GitHub Pages does (PagesHandler)."""
    handler = PagesHandler if pages else SiteHandler
    server = make_server(directory, host=host, port=port, base=base, quiet=quiet, handler=handler)
    with serving(server):
        yield server.url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "directory", nargs="?", default="site", help="folder to serve (default: site)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", 8000)),
        help="port (default: $PORT or 8000; 0 picks a free one)",
    )
    parser.add_argument("--base", default="/", help="base path to serve under, e.g. /gbt27922/")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.add_argument(
        "--pages", action="store_true", help="serve as GitHub Pages does: gzip, max-age=600, ETags"
    )
    args = parser.parse_args(argv)

    if not Path(args.directory, "index.html").is_file():
        print(
            f"serve: {args.directory}/index.html not found; build the site first", file=sys.stderr
        )
        return 1
    try:
        handler = PagesHandler if args.pages else SiteHandler
        server = make_server(args.directory, args.host, args.port, args.base, args.quiet, handler)
    except OSError as error:
        print(f"serve: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"Serving {args.directory}/ at {server.url} (Ctrl-C to stop)", flush=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
