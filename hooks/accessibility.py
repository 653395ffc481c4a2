"""Give the theme's search dialog an accessible name.

Material for MkDocs writes the search as ``<div class="md-search" role="dialog">`` with no name,
so a screen reader announces only "dialog". It gets the label of its own search field ("Search",
"搜索"), which the theme has already written in the page's language.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_FIELD_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" aria-label="([^"]*)"')


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return name_search_dialog(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same for static templates such as 404.html."""
    return name_search_dialog(output_content) if template_name.endswith(".html") else output_content


def name_search_dialog(html: str) -> str:
    """The page with its search dialog named after its search field (unchanged without one)."""
    if _DIALOG not in html:
        return html
    label = _FIELD_LABEL.search(html)
    if label is None:
        raise PluginError("the theme's search field has changed: hooks/accessibility.py needs updating")
    return html.replace(_DIALOG, _DIALOG[:-1] + f' aria-label="{label.group(1)}">', 1)
