"""The languages the package speaks: every name, message and report is given in each of them."""

from __future__ import annotations

#: The languages, the default first.
LANGUAGES = ("en", "zh")

#: The language of anything asked for in a language the package does not speak.
DEFAULT_LANGUAGE = LANGUAGES[0]


def language(lang: str) -> str:
    """``lang`` if the package speaks it, else the default language.

    Example:
        >>> language("zh"), language("fr")
        ('zh', 'en')
    """
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
