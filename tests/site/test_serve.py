"""scripts/serve.py serves a folder the way a static host serves a project site."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, serve_script: ModuleType) -> Iterator[str]:
    """A tiny site served under /base/: an index, a folder page, typed files, a 404 page."""
    root = tmp_path_factory.mktemp("served")
    (root / "index.html").write_text("<p>home</p>")
    (root / "404.html").write_text("<p>not here</p>")
    (root / "page").mkdir()
    (root / "page" / "index.html").write_text("<p>page</p>")
    (root / "empty").mkdir()
    for name in ("a.wasm", "a.mjs", "a.js", "a.json", "a.svg", "a.whl", "a.css"):
        (root / name).write_bytes(b"x")
    with serve_script.running(root, base="/base/") as url:
        yield url


def get(url: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_serves_index_html_for_the_base_and_folders(server: str) -> None:
    """The base path and a folder path answer with their index.html."""
    assert get(server, "/base/")[2] == b"<p>home</p>"
    assert get(server, "/base/page/?q=1")[2] == b"<p>page</p>"


@pytest.mark.parametrize(
    ("path", "location"),
    [("/base", "/base/"), ("/base/page", "/base/page/"), ("/base?x=1", "/base/?x=1")],
)
def test_redirects_to_the_trailing_slash(server: str, path: str, location: str) -> None:
    """The base and folders without their trailing slash redirect to it (keeping the query)."""
    status, headers, _ = get(server, path)
    assert status == 301
    assert urlsplit(headers["location"])._replace(scheme="", netloc="").geturl() == location


@pytest.mark.parametrize(
    "path", ["/", "/index.html", "/basement/", "/base/missing.js", "/base/empty/"]
)
def test_answers_404_with_the_sites_404_page(server: str, path: str) -> None:
    """Paths outside the base, missing files and folders without index.html get 404 and
    the site's 404.html (a static host lists no folder)."""
    status, headers, body = get(server, path)
    assert status == 404
    assert body == b"<p>not here</p>"
    assert headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("a.wasm", "application/wasm"),
        ("a.mjs", "text/javascript"),
        ("a.js", "text/javascript"),
        ("a.json", "application/json"),
        ("a.svg", "image/svg+xml"),
        ("a.whl", "application/zip"),
        ("a.css", "text/css"),
    ],
)
def test_sends_the_mime_types_browsers_require(server: str, name: str, mime: str) -> None:
    """Files go out with the type a browser needs: .wasm as application/wasm (streaming
    compilation), .mjs as JavaScript (module workers), and so on."""
    status, headers, _ = get(server, f"/base/{name}")
    assert status == 200
    assert headers["content-type"].split(";")[0] == mime


def test_head_sends_no_body(server: str) -> None:
    """HEAD answers like GET without a body."""
    status, headers, body = get(server, "/base/a.wasm", method="HEAD")
    assert (status, headers["content-length"], body) == (200, "1", b"")


def test_does_not_serve_outside_its_folder(server: str) -> None:
    """A path climbing out with ".." stays inside the served folder."""
    assert get(server, "/base/../../../etc/passwd")[0] == 404


def test_normalize_base(serve_script: ModuleType) -> None:
    """Base paths get exactly one leading and one trailing slash."""
    assert [serve_script.normalize_base(b) for b in ("", "/", "x", "/x", "x/", "/a/b/")] == [
        "/",
        "/",
        "/x/",
        "/x/",
        "/x/",
        "/a/b/",
    ]


def test_serves_at_the_root_without_a_base(tmp_path: Path, serve_script: ModuleType) -> None:
    """With no base, the folder is served at "/" and the URL says so."""
    (tmp_path / "index.html").write_text("root")
    with serve_script.running(tmp_path) as url:
        assert url.endswith("/") and urlsplit(url).path == "/"
        assert get(url, "/")[2] == b"root"


def test_pages_option_serves_as_github_pages(tmp_path: Path, serve_script: ModuleType) -> None:
    """With pages=True the server compresses what GitHub Pages compresses (not wheels), lets a
    browser keep files for ten minutes, and answers a repeated ETag with 304."""
    (tmp_path / "index.html").write_text("<p>home</p>" * 100)
    (tmp_path / "a.whl").write_bytes(b"x" * 100)
    with serve_script.running(tmp_path, base="/base/", pages=True) as url:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", "/base/", headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            assert response.getheader("Content-Encoding") == "gzip"
            assert response.getheader("Cache-Control") == "max-age=600"
            etag = response.getheader("ETag")
            connection.request("GET", "/base/", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
            response = connection.getresponse()
            response.read()
            assert response.status == 304
            connection.request("GET", "/base/a.whl", headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            assert response.read() == b"x" * 100
            assert response.getheader("Content-Encoding") is None
        finally:
            connection.close()


@pytest.mark.parametrize("error", [BrokenPipeError, ConnectionResetError])
def test_a_dropped_connection_prints_nothing(
    error: type[Exception], serve_script: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A browser that drops a connection (closing a tab cancels its downloads) is not an error:
    no traceback is printed."""
    server = serve_script.make_server(tmp_path, port=0, quiet=True)
    try:
        try:
            raise error()
        except error:
            server.handle_error(None, ("127.0.0.1", 0))
    finally:
        server.server_close()
    assert capsys.readouterr().err == ""
