"""The languages: English and Chinese, English the default for anything else."""

from __future__ import annotations

import pytest

from calculator.languages import DEFAULT_LANGUAGE, LANGUAGES, language


def test_english_and_chinese_english_first() -> None:
    """The package speaks English and Simplified Chinese, as the site does; English is the default."""
    assert LANGUAGES == ("en", "zh")
    assert DEFAULT_LANGUAGE == "en"


@pytest.mark.parametrize(("asked", "given"), [("en", "en"), ("zh", "zh"), ("fr", "en"), ("", "en"), ("ZH", "en"), ("zh-CN", "en")])
def test_an_unknown_language_falls_back_to_the_default(asked: str, given: str) -> None:
    """A language the package speaks is kept; any other, however close, gives the default."""
    assert language(asked) == given
