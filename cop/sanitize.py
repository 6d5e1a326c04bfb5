"""The only place user Markdown becomes HTML (design §3).

markdown-it-py in its ``js-default`` preset (raw HTML off, dangerous link schemes refused),
then ``bleach.clean`` with a small allow-list (bare URLs are linked by the parser, outside code).

Mentions: ``mentioned_handles(source)`` finds the ``@handle``s a text addresses (not those inside
code, links or quotes, which quote someone rather than call them), and ``render(source, mentions)``
turns each known ``@handle`` into a link to its profile; an unknown one stays text.

Language of parts: raw HTML stays text, with one exception: ``<span lang="en">…</span>`` marks a
phrase in another language (WCAG 3.1.2). Only that exact form is read as a tag, and the value must
look like a language tag (``LANG_RE``, e.g. ``en``, ``en-GB``, ``fy``); any other value is dropped
(the span stays, without ``lang``). The cleaner checks ``lang`` again on every inline element.
"""

from __future__ import annotations

import re
from functools import partial

import bleach
from markdown_it import MarkdownIt
from markdown_it.token import Token

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
        "span",
    }
)


# A BCP 47 language tag, roughly: a 2–3 letter language, then subtags (region, script, variant).
LANG_RE = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*")
LANG_MAX = 35  # BCP 47's advice for the longest tag an implementation must handle


def valid_lang(value: str) -> bool:
    return len(value) <= LANG_MAX and LANG_RE.fullmatch(value) is not None


def _lang_attribute(tag: str, name: str, value: str) -> bool:
    return name == "lang" and valid_lang(value)


def _link_attribute(tag: str, name: str, value: str) -> bool:
    return (
        name in ("href", "title", "rel")
        or (name == "class" and value == "mention")
        or _lang_attribute(tag, name, value)
    )


INLINE_TAGS = ("span", "strong", "em", "code", "del", "s", "sup", "sub")
ALLOWED_ATTRIBUTES = {
    "a": _link_attribute,
    "th": ["scope"],
    "ol": ["start"],
    **dict.fromkeys(INLINE_TAGS, _lang_attribute),
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# '@' + a handle (cop.accounts.handles), not inside a word or an email address.
MENTION_RE = re.compile(r"(?<![\w@./-])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,28}[A-Za-z0-9])?)(?![\w@-])")


def _link_mentions(state) -> None:
    """A core rule: split text tokens at known @handles into links (outside links and code)."""
    links = state.env.get("mentions")
    if not links:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            in_link += token.type == "link_open"
            in_link -= token.type == "link_close"
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            position = 0
            for match in MENTION_RE.finditer(token.content):
                url = links.get(match.group(1).lower())
                if url is None:
                    continue
                children.append(_text(token.content[position : match.start()]))
                opening = Token("link_open", "a", 1)
                opening.attrs = {"href": url, "class": "mention"}
                children.extend([opening, _text(match.group(0)), Token("link_close", "a", -1)])
                position = match.end()
            children.append(_text(token.content[position:]))
        block.children = [child for child in children if child.type != "text" or child.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


_LANG_SPAN_OPEN = re.compile(r"""<span\s+lang\s*=\s*(?:"([^"<>]{0,100})"|'([^'<>]{0,100})')\s*>""", re.I)
_LANG_SPAN_CLOSE = re.compile(r"</span\s*>", re.I)


def _lang_span(state, silent: bool) -> bool:
    """An inline rule: ``<span lang="…">`` opens a span (with ``lang`` if the value is a language
    tag) and ``</span>`` closes one that this rule opened in the same paragraph; any other '<'
    stays text. The cleaner closes a span left open."""
    if state.src[state.pos] != "<":
        return False
    opening = _LANG_SPAN_OPEN.match(state.src, state.pos)
    if opening:
        value = opening.group(1) if opening.group(1) is not None else opening.group(2)
        html = f'<span lang="{value}">' if valid_lang(value) else "<span>"
        match, delta = opening, 1
    else:
        match, delta = _LANG_SPAN_CLOSE.match(state.src, state.pos), -1
        open_here = sum(token.meta.get("lang_span", 0) for token in state.tokens)
        if not match or open_here <= 0:
            return False
        html = "</span>"
    if not silent:
        token = state.push("html_inline", "", 0)
        token.content = html
        token.meta["lang_span"] = delta
    state.pos = match.end()
    return True


# Bare addresses become links in the Markdown parser (linkify-it), which leaves code alone.
_markdown = MarkdownIt("js-default", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
_markdown.linkify.set({"fuzzy_email": False})
_markdown.core.ruler.push("mentions", _link_mentions)
_markdown.inline.ruler.before("html_inline", "lang_span", _lang_span)


def _link_open(renderer, tokens, idx, options, env):
    """Every link members write: nofollow (it is user content), noopener."""
    tokens[idx].attrSet("rel", LINK_REL)
    return renderer.renderToken(tokens, idx, options, env)


_markdown.add_render_rule("link_open", _link_open)
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


def render(source: str | None, mentions: dict[str, str] | None = None) -> str:
    """Render user Markdown to safe HTML. Empty input gives an empty string. ``mentions`` maps
    known handles to their profile's address: ``@handle`` becomes a link there."""
    if not source or not source.strip():
        return ""
    html = _shift_headings(_markdown.render(source, {"mentions": mentions or {}}))
    return _cleaner(html)


def mentioned_handles(source: str | None, in_quotes: bool = False) -> list[str]:
    """The handles ``source`` mentions, in order and once each, lower-case; leaving out those in
    code, in links and (unless ``in_quotes``) in quotes, which repeat what someone else wrote."""
    found: list[str] = []
    quote_depth = 0
    for block in _markdown.parse(source or ""):
        quote_depth += (block.type == "blockquote_open") - (block.type == "blockquote_close")
        if block.type != "inline" or (quote_depth and not in_quotes) or not block.children:
            continue
        in_link = 0
        for token in block.children:
            in_link += (token.type == "link_open") - (token.type == "link_close")
            if token.type == "text" and not in_link:
                found.extend(handle.lower() for handle in MENTION_RE.findall(token.content))
    return list(dict.fromkeys(found))


def render_inline(source: str | None) -> str:
    """Render one line of Markdown (no paragraphs), e.g. a quote's attribution."""
    if not source or not source.strip():
        return ""
    return _cleaner(_markdown.renderInline(source))


def plain_text(source: str | None) -> str:
    """The text of rendered Markdown without any markup (for search, feeds and mails)."""
    return text_of(render(source))


def text_of(html: str | None) -> str:
    """The text of HTML this module rendered, without markup (entities decoded)."""
    import html as html_module

    return html_module.unescape(bleach.clean(html or "", tags=set(), strip=True)).strip()


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!<>&|~])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown text: a name put into a link's text cannot end the link."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text or "")
