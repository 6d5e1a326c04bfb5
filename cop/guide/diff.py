"""Word-level differences between two lesson revisions, field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
MAX_WORD_TOKENS = 40_000  # beyond this, compare line by line to stay fast


@dataclass
class FieldDiff:
    label: str
    segments: list[tuple[str, str]]  # ("equal" | "insert" | "delete", text)

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _text in self.segments)

    @property
    def insertions(self) -> list[str]:
        return [text for op, text in self.segments if op == "insert"]

    @property
    def deletions(self) -> list[str]:
        return [text for op, text in self.segments if op == "delete"]


def _tokens(text: str) -> list[str]:
    tokens = TOKEN_RE.findall(text)
    if len(tokens) > MAX_WORD_TOKENS:
        return text.splitlines(keepends=True)
    return tokens


def _merge(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for op, text in segments:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """Segments that turn ``old`` into ``new``; a replaced stretch is a deletion then an insertion."""
    a, b = _tokens(old or ""), _tokens(new or "")
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        # Whitespace-only edges stay outside the marks, so "added: word" reads cleanly.
        if removed.strip() or added.strip():
            segments.append(("delete", removed))
            segments.append(("insert", added))
        else:
            segments.append(("equal", added))
    return _merge(segments)


def _quote_text(quote: dict) -> str:
    attribution = ", ".join(part for part in (quote["speaker"], quote["organisation"]) if part)
    return f"“{quote['text']}” ({attribution})"


def _example_text(example: dict) -> str:
    heading = example["title"] + (f" ({example['place']})" if example["place"] else "")
    source = f"\n{_l('Source')}: {example['source']}" if example["source"] else ""
    return f"{heading}\n{example['text']}{source}"


def citation(source: dict) -> str:
    parts = [source.get("authors"), source.get("title"), source.get("publisher")]
    if source.get("year"):
        parts.append(str(source["year"]))
    text = ". ".join(part for part in parts if part)
    for extra in (source.get("note"), source.get("url")):
        if extra:
            text += f". {extra}"
    return text


def field_texts(content: dict) -> list[tuple[str, str]]:
    """A revision's content as labelled plain text, in page order."""
    return [
        (_l("Title"), content["title"]),
        (_l("Learning objectives"), "\n".join(f"• {o}" for o in content["objectives"])),
        (_l("In short"), content["summary"]),
        (_l("Text"), content["body"]),
        (_l("Quotes"), "\n\n".join(_quote_text(q) for q in content["quotes"])),
        (_l("Practice examples"), "\n\n".join(_example_text(e) for e in content["examples"])),
        (_l("Sources"), "\n".join(citation(s) for s in content["sources"])),
    ]


def diff_revisions(old: dict, new: dict) -> list[FieldDiff]:
    """One FieldDiff per field that has text in either revision."""
    result = []
    for (label, old_text), (_label, new_text) in zip(field_texts(old), field_texts(new), strict=True):
        if old_text or new_text:
            result.append(FieldDiff(str(label), diff_words(old_text, new_text)))
    return result
