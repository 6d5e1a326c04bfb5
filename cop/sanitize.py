"""The only place user Markdown becomes HTML (design §3).

markdown-it-py in its ``js-default`` preset (raw HTML off, dangerous link schemes refused),
then ``bleach.clean`` with a small allow-list, then ``bleach.linkify`` for bare URLs.
"""

from __future__ import annotations

from functools import partial

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "del",
        "s",
        "sup",
        "sub",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "th": ["scope"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt("js-default").enable("table").enable("strikethrough")


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


_linker = Linker(callbacks=[_set_rel], parse_email=False)
_cleaner = partial(
    bleach.clean,
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def _shift_headings(html: str) -> str:
    """User text lives under a page's own h1: a Markdown '# x' becomes an h2."""
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def render(source: str | None) -> str:
    """Render user Markdown to safe HTML. Empty input gives an empty string."""
    if not source or not source.strip():
        return ""
    html = _shift_headings(_markdown.render(source))
    return _linker.linkify(_cleaner(html))


def render_inline(source: str | None) -> str:
    """Render one line of Markdown (no paragraphs), e.g. a quote's attribution."""
    if not source or not source.strip():
        return ""
    return _linker.linkify(_cleaner(_markdown.renderInline(source)))


def plain_text(source: str | None) -> str:
    """The text of rendered Markdown without any markup (for search, feeds and mails)."""
    return bleach.clean(render(source), tags=set(), strip=True).strip()
