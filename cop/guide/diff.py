"""Word-level differences between two lesson revisions, field by field."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
# Lines are compared first; a replaced stretch of lines is then compared word by word. Word-level
# work grows with len(old tokens) * len(new tokens) per stretch; WORD_BUDGET caps that product
# over a whole page of differences (a few tenths of a second at worst). A stretch that no
# longer fits is shown as one deletion and one insertion, so a diff stays fast whatever the input.
WORD_BUDGET = 2_000_000


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


def _lines(text: str) -> list[str]:
    """``text`` as lines with their line ends; blank lines join the line before them."""
    units: list[str] = []
    for line in text.splitlines(keepends=True):
        if units and not line.strip():
            units[-1] += line
        else:
            units.append(line)
    return units


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many items ``a`` and ``b`` share at their start, and then at their end."""
    limit = min(len(a), len(b))
    start = 0
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


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


def _replaced(removed: str, added: str) -> list[tuple[str, str]]:
    # Whitespace-only edges stay outside the marks, so "added: word" reads cleanly.
    if removed.strip() or added.strip():
        return [("delete", removed), ("insert", added)]
    return [("equal", added)]


class _Budget:
    def __init__(self, pairs: int):
        self.pairs = pairs

    def take(self, pairs: int) -> bool:
        if pairs > self.pairs:
            return False
        self.pairs -= pairs
        return True


def _diff_block(old: str, new: str, budget: _Budget) -> list[tuple[str, str]]:
    """Word-level segments for one replaced stretch of lines."""
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    start, end = _common_ends(a, b)
    head, tail = "".join(a[:start]), "".join(a[len(a) - end :])
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    segments: list[tuple[str, str]] = [("equal", head)]
    if not budget.take(len(a) * len(b)):
        segments += _replaced("".join(a), "".join(b))
    else:
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                segments.append(("equal", "".join(a[i1:i2])))
            else:
                segments += _replaced("".join(a[i1:i2]), "".join(b[j1:j2]))
    segments.append(("equal", tail))
    return segments


def _increasing_run(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by their first item) whose second items increase."""
    tails: list[int] = []  # tails[k]: the smallest second item ending a run of length k + 1
    ends: list[int] = []  # ends[k]: index in pairs of that run's last pair
    before: list[int] = []
    for index, (_i, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            ends.append(index)
        else:
            tails[k], ends[k] = j, index
        before.append(ends[k - 1] if k else -1)
    run, index = [], ends[-1] if ends else -1
    while index >= 0:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


def _line_opcodes(a: list[str], b: list[str]):
    """Opcodes like SequenceMatcher's, anchored on lines that occur once in each text (as in
    patience diff), so that many small edits spread over a long text stay about linear."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [(i, where_b[line]) for i, line in enumerate(a) if count_a[line] == 1 and line in where_b]
    i0 = j0 = 0
    for i, j in [*_increasing_run(pairs), (len(a), len(b))]:
        if i0 < i or j0 < j:
            # autojunk: a line that occurs very often (a separator) does not anchor the match.
            matcher = SequenceMatcher(None, a[i0:i], b[j0:j], autojunk=True)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                yield op, i0 + i1, i0 + i2, j0 + j1, j0 + j2
        if i < len(a):
            yield "equal", i, i + 1, j, j + 1
        i0, j0 = i + 1, j + 1


def diff_words(old: str, new: str, budget: _Budget | None = None) -> list[tuple[str, str]]:
    """Segments that turn ``old`` into ``new``; a replaced stretch is a deletion then an insertion.

    Lines are compared first, then only the replaced stretches word by word, so two long texts
    with a few changes are compared in about linear time.
    """
    budget = budget or _Budget(WORD_BUDGET)
    a, b = _lines(old or ""), _lines(new or "")
    start, end = _common_ends(a, b)
    segments: list[tuple[str, str]] = [("equal", "".join(a[:start]))]
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    for op, i1, i2, j1, j2 in _line_opcodes(middle_a, middle_b):
        removed, added = "".join(middle_a[i1:i2]), "".join(middle_b[j1:j2])
        if op == "equal":
            segments.append(("equal", removed))
        elif op == "replace":
            segments += _diff_block(removed, added, budget)
        else:
            segments += _replaced(removed, added)
    segments.append(("equal", "".join(a[len(a) - end :])))
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
    budget = _Budget(WORD_BUDGET)  # shared: the page's word-level work is bounded as a whole
    for (label, old_text), (_label, new_text) in zip(field_texts(old), field_texts(new), strict=True):
        if old_text or new_text:
            result.append(FieldDiff(str(label), diff_words(old_text, new_text, budget)))
    return result
