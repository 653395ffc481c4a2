"""Put the scoring engine into the site: self-hosted Pyodide, the package as a wheel, its lockfile,
and the calculator form on the calculator page.

Pyodide comes from the npm package (``npm ci``), pinned in package.json, and lands under
``assets/pyodide/<version>/``. The ``calculator/`` package is written there as a wheel built with
the standard library, and named in a lockfile with its sha256: the page's engine worker fetches
the wheel with that digest as its integrity and installs it (the same lockfile also serves
``loadPyodide({lockFileURL, packages: ["calculator"]})``). The calculator page's
``<!-- calculator -->`` marker becomes the form, rendered from the scheme data with
``overrides/partials/calculator.html``, and the page's head asks for the engine worker's script
early.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import sys
import zipfile
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
PACKAGE = ROOT / "calculator"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
TEMPLATES = ROOT / "overrides" / "partials"

#: What ``loadPyodide`` fetches besides the lockfile: the loader, the runtime and the stdlib.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")

#: The lockfile, next to them, in place of Pyodide's own: its ``info`` and the package wheel only.
LOCKFILE = "pyodide-lock.json"

#: Where the page scripts and styles live in docs/, and the strings they and the form use.
ASSETS = "assets/calculator/"
STRINGS = ASSETS + "strings.json"

#: The comment in the calculator page's Markdown that the form replaces.
MARKER = "<!-- calculator -->"

#: Fixed time stamp for every wheel member, so the same files always give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fail early, with the fix, when Pyodide is missing or not the pinned version."""
    pyodide_version()
    return config


@event_priority(-110)  # after the i18n plugin (-100), which expects files read from disk
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add Pyodide, the wheel and the lockfile to the build; keep the strings file out of it."""
    engine = build_engine()
    for name in PYODIDE_FILES:
        uri = engine.directory + name
        files.append(File.generated(config, uri, abs_src_path=str(NODE_PYODIDE / name)))
    files.append(File.generated(config, engine.directory + engine.wheel_name, content=engine.wheel))
    files.append(File.generated(config, engine.directory + LOCKFILE, content=engine.lock))
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
    engine = build_engine()
    token = _version_token(engine, Path(config.docs_dir) / ASSETS)
    form = render_calculator(page, config, engine, token)
    worker = f"{get_relative_url(ASSETS + 'engine-worker.mjs', page.url)}?v={token}"
    hint = f'<link rel="modulepreload" href="{worker}">\n'
    return output.replace(MARKER, form, 1).replace("</head>", hint + "</head>", 1)


def is_calculator(page: Page) -> bool:
    return Path(page.file.src_uri).name == "calculator.md"


@dataclass(frozen=True)
class Engine:
    """What goes under ``directory`` besides Pyodide's own files."""

    directory: str  # "assets/pyodide/<version>/"
    wheel_name: str
    wheel: bytes
    lock: bytes

    @property
    def size(self) -> int:
        """Bytes a first visit downloads for the engine (before any compression by the host)."""
        pyodide = sum((NODE_PYODIDE / name).stat().st_size for name in PYODIDE_FILES)
        return pyodide + len(self.wheel) + len(self.lock)


def build_engine() -> Engine:
    """The wheel and the lockfile for the current package files (cached while they are unchanged)."""
    members = tuple(
        (path.relative_to(ROOT).as_posix(), path.read_bytes()) for path in package_files()
    )
    return _engine(members, pyodide_version())


@lru_cache(maxsize=4)
def _engine(members: tuple[tuple[str, bytes], ...], version: str) -> Engine:
    package_version = read_version(dict(members)["calculator/__init__.py"].decode("utf-8"))
    name, wheel = build_wheel(members, package_version)
    stock = json.loads((NODE_PYODIDE / "pyodide-lock.json").read_bytes())
    lock = build_lock(stock, name, wheel, package_version)
    return Engine(f"assets/pyodide/{version}/", name, wheel, lock)


def pyodide_version() -> str:
    """The installed npm Pyodide version, checked against the pin in package.json.

    Raises:
        PluginError: Pyodide is not installed, or not the pinned version; the message says
            to run ``npm ci``.
    """
    installed = NODE_PYODIDE / "package.json"
    if not installed.is_file():
        raise PluginError(
            f"Pyodide is not installed ({NODE_PYODIDE.relative_to(ROOT)} is missing): "
            "run `npm ci` in the repository root first."
        )
    version = json.loads(installed.read_text(encoding="utf-8"))["version"]
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    if version != pinned:
        raise PluginError(
            f"node_modules has Pyodide {version} but package.json pins {pinned}: run `npm ci`."
        )
    needed = (*PYODIDE_FILES, "pyodide-lock.json")
    missing = [name for name in needed if not (NODE_PYODIDE / name).is_file()]
    if missing:
        raise PluginError(f"Pyodide {version} lacks {', '.join(missing)}: run `npm ci`.")
    return version


def package_files() -> list[Path]:
    """The files of the ``calculator`` package, sorted, without caches."""
    return sorted(
        path
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def read_version(init_text: str) -> str:
    """The ``__version__`` string assigned in a package's ``__init__.py``.

    Example:
        >>> read_version('__version__ = "1.2.0"\\n')
        '1.2.0'
    """
    found = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", init_text, re.MULTILINE)
    if found is None:
        raise PluginError("calculator/__init__.py sets no __version__")
    return found[1]


def build_wheel(members: tuple[tuple[str, bytes], ...], version: str) -> tuple[str, bytes]:
    """A pure-Python wheel of the given files; the same files always give the same bytes.

    Returns:
        The wheel's file name and its bytes.
    """
    dist_info = f"calculator-{version}.dist-info"
    metadata = (
        "Metadata-Version: 2.1\n"
        "Name: calculator\n"
        f"Version: {version}\n"
        "Summary: Self-assessment scoring against GB/T 27922-2011\n"
        "Requires-Python: >=3.11\n"
    )
    wheel_meta = (
        "Wheel-Version: 1.0\n"
        "Generator: hooks/engine.py\n"
        "Root-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )
    entries = [
        *members,
        (f"{dist_info}/METADATA", metadata.encode("utf-8")),
        (f"{dist_info}/WHEEL", wheel_meta.encode("utf-8")),
    ]
    record = "".join(f"{name},sha256={_urlsafe_digest(data)},{len(data)}\n" for name, data in entries)
    entries.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode("utf-8")))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 3  # Unix, so the permission bits below are read
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data, compresslevel=9)
    return f"calculator-{version}-py3-none-any.whl", buffer.getvalue()


def build_lock(stock: dict[str, Any], wheel_name: str, wheel: bytes, version: str) -> bytes:
    """The site's lockfile: Pyodide's ``info`` and one package, ours, with the wheel's sha256.

    The site ships Pyodide's core alone, so the other packages of Pyodide's lockfile, whose files
    are not there, are left out: a first visit fetches half a kilobyte instead of some 27 KB. The
    entry has the fields of Pyodide's pure-Python packages; its ``file_name`` is relative, so it
    resolves next to the lockfile.
    """
    if "calculator" in stock["packages"]:
        raise PluginError("Pyodide's lockfile already has a package named calculator")
    entry = {
        "depends": [],
        "file_name": wheel_name,
        "imports": ["calculator"],
        "install_dir": "site",
        "name": "calculator",
        "package_type": "package",
        "sha256": hashlib.sha256(wheel).hexdigest(),
        "tool": {},
        "unvendored_tests": False,
        "version": version,
    }
    lock = {"info": stock["info"], "packages": {"calculator": entry}}
    return json.dumps(lock, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
