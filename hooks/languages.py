"""Make the two language builds of mkdocs-static-i18n sit well together in one site.

- The language switch in the header links each page to the same page in the other language
  (relative links set per page by the plugin). The theme also writes those links into the head as
  ``<link rel="alternate" hreflang>``, and its script fetches a ``sitemap.xml`` under each of them,
  which exists only at a language's root: every page would log a failed request. The head links
  are left out; the switch itself is unchanged.
- Each language build writes the theme's ``404.html`` at the site root, so the last one would
  win. Only the default language's build writes it.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

NOT_FOUND = "404.html"

_HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


@event_priority(-200)  # after the i18n plugin has chosen the language of this build
def on_pre_build(config: MkDocsConfig) -> None:
    """Write 404.html in the default language's build only."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    templates = config.theme.static_templates
    if getattr(i18n, "current_language", None) == getattr(i18n, "default_language", None):
        templates.add(NOT_FOUND)
    else:
        templates.discard(NOT_FOUND)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Leave the per-page language links out of the head (the header's switch keeps them)."""
    return drop_head_alternates(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same for static templates such as 404.html."""
    return drop_head_alternates(output_content) if template_name.endswith(".html") else output_content


def drop_head_alternates(html: str) -> str:
    """The page without ``<link rel="alternate" hreflang>`` elements in its head.

    Example:
        >>> drop_head_alternates('<head><link rel="alternate" href="zh/" hreflang="zh">\\n</head>')
        '<head></head>'
    """
    head_end = html.find("</head>")
    if head_end < 0:
        return html
    return _HEAD_ALTERNATE.sub("", html[:head_end]) + html[head_end:]
