"""What the hooks share: the repository's paths, the scoring package, a page's language, numbers
as the pages write them, the engine of the current build, and templates rendered with the theme's
Jinja environment.

Not a hook (mkdocs.yml does not list it). MkDocs puts a hook's folder on ``sys.path`` while it
imports the hook, so each hook says ``import shared`` and Python imports this module once. The
scoring package is imported here, and only here, from the repository root: ``mkdocs`` does not
always run with the root on ``sys.path``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import calculator  # noqa: E402  (the hooks use it as shared.calculator)
import calculator.assessment  # noqa: E402
import calculator.browser  # noqa: E402
import calculator.scheme  # noqa: E402
import calculator.tiers  # noqa: E402

__all__ = [
    "DEFAULT_LANGUAGE", "ROOT", "Engine", "calculator", "current_engine", "indicator_anchor", "is_page", "language_folder",
    "number", "page_language",
    "render", "use_engine",
]

#: Where Pyodide's own files come from (``npm ci``, pinned in package.json).
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"


#: The site's default language: its pages are at the site's root; another language's are in the
#: folder named after it (mkdocs.yml, the i18n plugin's languages).
DEFAULT_LANGUAGE = "en"


def page_language(page: Page) -> str:
    """The page's language, ``"en"`` or ``"zh"``: the i18n plugin's locale, else its
    ``docs/<lang>/`` folder."""
    locale = getattr(page.file, "locale", None) or Path(page.file.src_uri).parts[0]
    return "zh" if str(locale).startswith("zh") else DEFAULT_LANGUAGE


def language_folder(lang: str) -> str:
    """The folder of a language's pages, from the site's root: ``""`` or ``"zh/"``.

    Example:
        >>> language_folder("en"), language_folder("zh")
        ('', 'zh/')
    """
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def is_page(page: Page, name: str) -> bool:
    """Whether ``page`` is ``docs/<lang>/<name>`` in either language."""
    return Path(page.file.src_uri).name == name


def number(value: Decimal) -> str:
    """A number of points as people write it: ``70``, ``7.5`` (no exponent, no trailing zeros).

    Example:
        >>> number(Decimal("70")), number(Decimal("7.50"))
        ('70', '7.5')
    """
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def indicator_anchor(indicator_id: str) -> str:
    """The id of the element in the guide that explains an indicator (hooks/tables.py writes it,
    hooks/calculator_page.py links to it).

    Example:
        >>> indicator_anchor("repair")
        'indicator-repair'
    """
    return f"indicator-{indicator_id}"


def render(config: MkDocsConfig, template: str, **context: Any) -> str:
    """Render a template of the theme (``overrides/`` first) with the theme's Jinja environment,
    as Material's own hooks do, escaping HTML and failing on an undefined name."""
    env = config.theme.get_env().overlay(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["fill"] = fill
    return env.get_template(template).render(**context)


def fill(text: str, **values: Any) -> str:
    """Fill ``{name}`` placeholders, leaving other braces alone (a Jinja filter).

    Example:
        >>> fill("0–{max} points", max=6)
        '0–6 points'
    """
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


@dataclass(frozen=True)
class Engine:
    """The engine of a build: Pyodide's files, and the package's wheel, lockfile and standard
    library that scripts/build_engine.py wrote into ``built``.

    In the site, Pyodide goes under ``directory`` (``assets/pyodide/<version>/``), and the wheel,
    the lockfile and the standard library in a folder of it named by the digest of the lockfile
    and the standard library (``package_directory``): the lockfile names the wheel's sha256, so a
    new wheel or standard library means a new folder, and a browser never pairs a cached file of
    one engine with another's. The engine's worker finds the standard library beside the lockfile,
    and keys its memory snapshot by that folder.
    """

    directory: str
    built: Path
    wheel_name: str
    lock: bytes
    digest: str  # of the lockfile and the standard library, 16 hex digits
    #: What ``loadPyodide`` fetches of Pyodide's own files, as the builder names them.
    pyodide_files: tuple[str, ...]
    #: The engine's standard library, in place of Pyodide's own (the modules the engine uses),
    #: as the builder names it; the worker finds it beside the lockfile.
    stdlib_name: str

    #: The site's lockfile, in place of Pyodide's own: its ``info`` and the package.
    LOCKFILE = "pyodide-lock.json"

    @property
    def package_directory(self) -> str:
        """The folder of the wheel, the lockfile and the standard library in the site."""
        return f"{self.directory}{self.digest}/"

    @property
    def files(self) -> dict[str, Path]:
        """Every file of the engine in the site (its path there) and where it comes from."""
        return {
            **{self.directory + name: NODE_PYODIDE / name for name in self.pyodide_files},
            **{self.package_directory + name: self.built / name
               for name in (self.wheel_name, self.LOCKFILE, self.stdlib_name)},
        }

    @property
    def size(self) -> int:
        """Bytes a first visit downloads for the engine (before any compression by the host)."""
        return sum(path.stat().st_size for path in self.files.values())


_engine: Engine | None = None


def use_engine(engine: Engine) -> None:
    """Make ``engine`` the current build's (hooks/engine.py, on_config)."""
    global _engine
    _engine = engine


def current_engine() -> Engine:
    """The engine hooks/engine.py found for this build."""
    if _engine is None:
        raise PluginError("hooks/engine.py has not run: list it in mkdocs.yml's hooks")
    return _engine
