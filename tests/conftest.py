"""Session fixtures shared by the tests: the site built once, served over HTTP, and Chromium;
and the Hypothesis settings profiles.

Any test that takes a ``doc_page`` argument runs once for every page of the documentation,
in both languages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings
from loaders import load_script

# Hypothesis settings profiles; none changes how many examples a test tries.
#   dev       local runs: Hypothesis's defaults without its wall-clock limits. On a busy two-core
#             machine one example can take longer than the 200 ms deadline, and generating data
#             can look "too slow", without anything being wrong.
#   ci        Hypothesis's own profile, which it loads when the CI variable is set: no deadline,
#             the same examples on every run, no example database.
#   mutation  the ci profile, for scripts/mutation.py: a mutant's verdict does not depend on luck
#             or on examples saved by earlier runs.
# HYPOTHESIS_PROFILE=NAME chooses one.
settings.register_profile(
    "dev", settings.get_profile("default"), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("mutation", settings.get_profile("ci"))
if "HYPOTHESIS_PROFILE" in os.environ:
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif settings.get_current_profile_name() != "ci":
    settings.load_profile("dev")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGUAGES = ("en", "zh")  # the first is the default, built at the site root
BASE_PATH = "/gbt27922/"  # tests serve the site under a sub-path, as GitHub Pages does


@dataclass(frozen=True, order=True)
class DocPage:
    """One Markdown page in one language and where the build puts it."""

    lang: str
    src: str  # path under docs/<lang>/, e.g. "calculator.md"

    @property
    def url(self) -> str:
        """The page's URL relative to the site root, e.g. "" or "zh/calculator/"."""
        stem = self.src.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            path = stem.removesuffix("index")
        else:
            path = stem + ("/" if _directory_urls() else ".html")
        prefix = "" if self.lang == LANGUAGES[0] else f"{self.lang}/"
        return prefix + path

    @property
    def html(self) -> str:
        """The built file relative to the site root, e.g. "zh/calculator/index.html"."""
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url

    def translation(self, lang: str) -> DocPage:
        """The same page in another language."""
        return DocPage(lang, self.src)


def _directory_urls() -> bool:
    config = ROOT / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    return not re.search(r"^use_directory_urls:\s*false\b", text, re.MULTILINE)


def doc_pages() -> list[DocPage]:
    """Every Markdown page under docs/<lang>/, for every language, sorted."""
    return sorted(
        DocPage(lang, path.relative_to(DOCS / lang).as_posix())
        for lang in LANGUAGES
        for path in (DOCS / lang).rglob("*.md")
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the mutation profile, property tests run after the others: a mutant that a plain
    test catches is then killed in a second (pytest -x), before any example is generated."""
    if settings.get_current_profile_name() == "mutation":
        items.sort(key=lambda item: hasattr(getattr(item, "obj", None), "hypothesis"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "doc_page" in metafunc.fixturenames:
        pages = doc_pages()
        metafunc.parametrize("doc_page", pages, ids=[f"{p.lang}/{p.src}" for p in pages])


@pytest.fixture(scope="session")
def doc_sources() -> dict[str, set[str]]:
    """For each language, the set of its page sources (paths under docs/<lang>/)."""
    pages = doc_pages()
    return {lang: {page.src for page in pages if page.lang == lang} for lang in LANGUAGES}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per session with `mkdocs build --strict` into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    warnings = [line for line in proc.stdout.splitlines() if line.startswith(("WARNING", "ERROR"))]
    if proc.returncode or warnings:
        pytest.fail(
            f"mkdocs build --strict failed (exit {proc.returncode}):\n{proc.stdout}", pytrace=False
        )
    return out


@pytest.fixture(scope="session")
def serve_script() -> ModuleType:
    """scripts/serve.py, imported (tests/loaders.py)."""
    return load_script("serve")


@pytest.fixture(scope="session")
def build_engine_script() -> ModuleType:
    """scripts/build_engine.py, imported."""
    return load_script("build_engine")


@pytest.fixture(scope="session")
def site_server(built_site: Path, serve_script: ModuleType) -> Iterator[str]:
    """The built site served over HTTP under BASE_PATH; yields its URL (ending in "/")."""
    with serve_script.running(built_site, base=BASE_PATH, quiet=True) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """A Chromium executable, from scripts/ensure-chromium (which honours $CHROMIUM, as set
    by `make test`)."""
    try:
        return load_script("chromium").executable()
    except RuntimeError as error:
        pytest.fail(f"no Chromium for the browser tests:\n{error}", pytrace=False)
