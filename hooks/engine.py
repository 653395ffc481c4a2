"""Put the scoring engine into the site: self-hosted Pyodide, the package's wheel and its lockfile,
and the calculator form on the calculator page.

Pyodide comes from the npm package (``npm ci``), pinned in package.json, and lands under
``assets/pyodide/<version>/``. The wheel and the lockfile beside it are made by
``scripts/build_engine.py`` with the standard tools (the build frontend, pyodide-lock,
pyodide-build's py-compile) and cached until the package changes; this hook runs it and adds what it
wrote to the site. The page's engine worker installs the packages the lockfile names, checked
against its sha256 (``docs/assets/calculator/install.mjs``). The calculator page's
``<!-- calculator -->`` marker becomes the form, rendered from the scheme data with
``overrides/partials/calculator.html``, and the page's head asks for the engine worker's script
early.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
TEMPLATES = ROOT / "overrides" / "partials"
BUILDER = ROOT / "scripts" / "build_engine.py"

#: What ``loadPyodide`` fetches besides the lockfile: the loader, the runtime and the stdlib.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")

#: The site's lockfile, next to them, in place of Pyodide's own: its ``info`` and the package.
LOCKFILE = "pyodide-lock.json"

#: Where the page scripts and styles live in docs/, and the strings they and the form use.
ASSETS = "assets/calculator/"
STRINGS = ASSETS + "strings.json"

#: The comment in the calculator page's Markdown that the form replaces.
MARKER = "<!-- calculator -->"


#: The engine of the current build, set by on_config.
_engine: Engine | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Build the engine (or find it built), failing early with the fix when a tool is missing."""
    global _engine
    _engine = build_engine()
    return config


@event_priority(-110)  # after the i18n plugin (-100), which expects files read from disk
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add Pyodide, the wheel and the lockfile to the build; keep the strings file out of it."""
    engine = current_engine()
    for name in PYODIDE_FILES:
        files.append(File.generated(config, engine.directory + name, abs_src_path=str(NODE_PYODIDE / name)))
    for name in (engine.wheel_name, LOCKFILE):
        files.append(File.generated(config, engine.directory + name, abs_src_path=str(engine.built / name)))
    strings = files.get_file_from_path(STRINGS)
    if strings is not None:
        files.remove(strings)  # read here at build time, embedded in the page
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Check that the calculator page has its marker (the form replaces it in on_post_page)."""
    if is_calculator(page) and MARKER not in html:
        raise PluginError(f"{page.file.src_uri}: the calculator page needs the {MARKER} marker")
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str | None:
    """Put the form in place of the calculator page's marker, and have the page's head ask for the
    engine worker's script at once.

    The form goes in only now, after the search plugin has read the page: its labels and options
    would fill the search index with the scheme's words, which other pages give in prose.
    """
    if not is_calculator(page):
        return output
    engine = current_engine()
    token = _version_token(engine, Path(config.docs_dir) / ASSETS)
    form = render_calculator(page, config, engine, token)
    worker = f"{get_relative_url(ASSETS + 'engine-worker.mjs', page.url)}?v={token}"
    hint = f'<link rel="modulepreload" href="{worker}">\n'
    return output.replace(MARKER, form, 1).replace("</head>", hint + "</head>", 1)


def is_calculator(page: Page) -> bool:
    return Path(page.file.src_uri).name == "calculator.md"


@dataclass(frozen=True)
class Engine:
    """The engine's files: Pyodide's, and the wheel and lockfile in ``built``; all of them go
    under ``directory`` in the site."""

    directory: str  # "assets/pyodide/<version>/"
    built: Path  # the folder scripts/build_engine.py wrote
    wheel_name: str
    lock: bytes

    @property
    def size(self) -> int:
        """Bytes a first visit downloads for the engine (before any compression by the host)."""
        pyodide = sum((NODE_PYODIDE / name).stat().st_size for name in PYODIDE_FILES)
        return pyodide + (self.built / self.wheel_name).stat().st_size + len(self.lock)


def current_engine() -> Engine:
    """The engine on_config found for this build."""
    if _engine is None:
        raise PluginError("hooks/engine.py: on_config has not run")
    return _engine


def build_engine() -> Engine:
    """The engine for the current package files, from scripts/build_engine.py (which keeps it
    until an input changes).

    Raises:
        PluginError: a prerequisite is missing; the message is the builder's one line saying
            what and how to get it.
    """
    proc = subprocess.run(
        [sys.executable, str(BUILDER), "--json"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise PluginError(proc.stderr.strip().removeprefix("error: ") or f"{BUILDER.name} failed")
    built = json.loads(proc.stdout)
    path = Path(built["directory"])
    return Engine(
        f"assets/pyodide/{built['pyodide_version']}/", path, built["wheel"], (path / LOCKFILE).read_bytes()
    )


def render_calculator(page: Page, config: MkDocsConfig, engine: Engine, token: str) -> str:
    """The calculator's HTML for one page: the form, and the scheme and strings as JSON data.
    ``token`` is the ``?v=`` query of the page's script, styles and lockfile."""
    lang = page_language(page)
    size = f"{engine.size / 1e6:.0f}"
    strings = {k: v.replace("{size}", size) for k, v in load_strings(config)[lang].items()}
    scheme = json.loads(scheme_json())

    def url(path: str) -> str:
        return get_relative_url(path, page.url)

    template = _templates().get_template("calculator.html")
    return template.render(
        lang=lang,
        t=strings,
        scheme=scheme,
        statuses=answer_statuses(),
        scheme_json=Markup(_script_json(scheme)),
        strings_json=Markup(_script_json(strings)),
        engine_index=url(engine.directory),
        engine_lock=f"{url(engine.directory + LOCKFILE)}?v={token}",
        script=f"{url(ASSETS + 'calculator.mjs')}?v={token}",
        stylesheet=f"{url(ASSETS + 'calculator.css')}?v={token}",
    )


def page_language(page: Page) -> str:
    """The page's language: the i18n plugin's locale, else the docs/<lang>/ folder."""
    locale = getattr(page.file, "locale", None) or Path(page.file.src_uri).parts[0]
    return "zh" if str(locale).startswith("zh") else "en"


def load_strings(config: MkDocsConfig) -> dict[str, dict[str, str]]:
    """The page's words in each language, checked to have the same keys."""
    path = Path(config.docs_dir) / STRINGS
    strings: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    keys = {lang: set(words) for lang, words in strings.items()}
    if keys.get("en") != keys.get("zh"):
        missing = sorted(keys.get("en", set()) ^ keys.get("zh", set()))
        raise PluginError(f"docs/{STRINGS}: en and zh differ in the keys {', '.join(missing)}")
    return strings


def scheme_json() -> str:
    """The scheme as the browser entry point gives it (names, descriptions, points, tiers)."""
    _import_path()
    from calculator import browser

    return browser.scheme()


def answer_statuses() -> list[str]:
    """The answers an indicator can have, in the order the form offers them."""
    _import_path()
    from calculator.assessment import STATUSES

    return list(STATUSES)


def _import_path() -> None:
    """Let the hook import the scoring package from the repository root."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fill"] = _fill
    return env


def _fill(text: str, **values: Any) -> str:
    """Fill ``{name}`` placeholders, leaving other braces alone: ``"0–{max}"`` with max=6."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _version_token(engine: Engine, assets: Path) -> str:
    """A short digest of the lockfile (so of the wheel) and the page's scripts and styles.

    Added as ``?v=`` to their URLs, so a browser holding an older copy fetches the new one.
    """
    digest = hashlib.sha256(engine.lock)
    for path in sorted(assets.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
