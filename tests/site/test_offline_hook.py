"""The service worker the build publishes (hooks/offline.py): at the site's root, with a manifest
naming every file a reader needs offline with the SHA-256 of its bytes, and nothing that no page
loads; a new build of other content is a new version."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.loaders import load_hook

offline = load_hook("offline")


def published_manifest(site: Path) -> dict[str, Any]:
    text = (site / "service-worker.js").read_text(encoding="utf-8")
    assert offline.PLACEHOLDER not in text
    match = re.search(r"const MANIFEST = (\{.*?\}); //", text)
    assert match, "no manifest in the published worker"
    return json.loads(match.group(1))


def test_the_worker_is_published_at_the_root_only(built_site: Path) -> None:
    """The worker sits at the root of the site (its scope is the whole site) and not under assets/."""
    assert (built_site / "service-worker.js").is_file()
    assert not (built_site / offline.SOURCE).exists()


def test_the_manifest_names_every_file_a_reader_needs(built_site: Path) -> None:
    """Every page of both languages, the 404 page, the search index of each language, the search's Chinese
    language files, the calculator's assets and the engine's files are in it, each with the
    SHA-256 of its bytes; the engine's are a group of their own."""
    manifest = published_manifest(built_site)
    site = dict(manifest["site"])
    engine = dict(manifest["engine"])
    pages = {p.relative_to(built_site).as_posix().removesuffix("index.html") for p in built_site.rglob("index.html")}
    assert pages <= set(site) and {"", "zh/", "calculator/", "zh/calculator/", "404.html"} <= set(site)
    assert {"search/search_index.json", "zh/search/search_index.json"} <= set(site)
    lunr = {path for path in site if path.startswith("assets/javascripts/lunr/")}
    assert lunr == {
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
        "assets/javascripts/lunr/min/lunr.zh.min.js",
        "assets/javascripts/lunr/min/lunr.multi.min.js",
    }
    assert any(path.startswith("assets/calculator/") and path.endswith("/calculator.mjs") for path in site)
    on_disk = {
        p.relative_to(built_site).as_posix() for p in (built_site / "assets" / "pyodide").rglob("*") if p.is_file()
    }
    assert set(engine) == on_disk
    assert {Path(path).name for path in engine} >= {"pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}
    for path, digest in [*site.items(), *engine.items()]:
        file = built_site / (path + "index.html" if path == "" or path.endswith("/") else path)
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, path


def test_the_manifest_leaves_out_what_no_page_loads(built_site: Path) -> None:
    """Source maps, the sitemaps, other languages' search files and the worker itself are not
    stored for offline use."""
    manifest = published_manifest(built_site)
    paths = [path for group in ("site", "engine") for path, _ in manifest[group]]
    assert (built_site / "assets" / "javascripts" / "lunr" / "wordcut.js").is_file()
    for path in paths:
        assert not path.endswith((".map", ".xml", ".xml.gz")), path
        assert "wordcut" not in path and "lunr.ar." not in path, path
        assert path != "service-worker.js"


@pytest.mark.parametrize("change", ["a page", "an engine file"])
def test_other_content_is_another_version(built_site: Path, tmp_path: Path, change: str) -> None:
    """A build whose files differ, page or engine, has another version (so its own caches); the
    same files give the same manifest."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    engine = next((copy / "assets" / "pyodide").iterdir()).relative_to(copy).as_posix() + "/"
    before = offline.build_manifest(copy, engine, ["en", "zh"])
    assert offline.build_manifest(copy, engine, ["en", "zh"]) == before
    assert before == published_manifest(built_site)
    target = copy / "scoring" / "index.html" if change == "a page" else next(copy.rglob("pyodide-lock.json"))
    target.write_bytes(target.read_bytes() + b"\n")
    after = offline.build_manifest(copy, engine, ["en", "zh"])
    assert after["version"] != before["version"]
