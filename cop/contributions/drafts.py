"""The lesson text a promotion starts from, for the moderator to edit: a new lesson made from a
contribution, an existing lesson with the contribution added as a practice example, or a suggested
improvement merged with what changed in the lesson since it was proposed (a three-way merge, so an
editor's change made in between is kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from merge3 import Merge3

from cop.contributions.kinds import Kind
from cop.guide.rules import LIMITS, normalise_content

URL_RE = re.compile(r"https?://\S+")
# The guide is written in Dutch: the headings of a lesson made from a practice experience are
# content, not interface text.
PRACTICE_SECTIONS = (
    ("situation", "Aanleiding"),
    ("goal", "Doel"),
    ("approach", "Aanpak"),
    ("conditions", "Randvoorwaarden"),
    ("results", "Resultaat"),
    ("transfer", "Overdraagbaarheid"),
)


@dataclass
class Draft:
    content: dict
    conflicts: list[str] = field(default_factory=list)  # fields where both sides changed the same text


def sources_from_text(text: str) -> list[dict]:
    """One source per line of the contribution's "sources": its text as title, a link as url."""
    sources = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*• ").strip()
        if not line:
            continue
        url = URL_RE.search(line)
        title = URL_RE.sub("", line).strip(" ,;:-–") or (url.group(0) if url else line)
        sources.append({"title": title[: LIMITS["source.title"]], "url": url.group(0)[:500] if url else ""})
    return sources[:50]


def place_label(contribution) -> str:
    return ", ".join(place.label for place in contribution.places)[: LIMITS["example.place"]]


def practice_example(contribution) -> dict:
    """The experience as a practice example of a lesson, with its neighbourhood as place."""
    parts = [contribution.field("approach"), contribution.field("results")]
    return {
        "title": contribution.title[: LIMITS["example.title"]],
        "place": place_label(contribution),
        "text": "\n\n".join(p for p in parts if p)[: LIMITS["example.text"]],
        "source": "",
    }


def new_lesson(contribution) -> Draft:
    if contribution.kind == Kind.LESSON:
        content = {
            "title": contribution.title,
            "summary": contribution.field("summary"),
            "body": contribution.field("body"),
            "sources": sources_from_text(contribution.field("sources")),
        }
    else:
        sections = [
            f"## {heading}\n\n{contribution.field(name)}"
            for name, heading in PRACTICE_SECTIONS
            if contribution.field(name)
        ]
        content = {
            "title": contribution.title,
            "summary": contribution.field("lesson"),
            "body": "\n\n".join(sections),
            "examples": [practice_example(contribution)],
            "sources": sources_from_text(contribution.field("sources")),
        }
    return Draft(normalise_content(content))


def into_lesson(contribution, lesson) -> Draft:
    """The lesson as it is, with the contribution added as a practice example."""
    content = lesson.current_revision.content()
    if contribution.kind == Kind.PRACTICE:
        content["examples"] = [*content["examples"], practice_example(contribution)]
    known = {source["title"] for source in content["sources"]}
    content["sources"] += [
        s for s in sources_from_text(contribution.field("sources")) if s["title"] not in known
    ]
    return Draft(normalise_content(content))


def _merge_text(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """Three-way merge by lines: ``ours`` is the lesson now, ``theirs`` the proposal. On a conflict
    the lesson's text is kept and the conflict reported."""
    if ours in (base, theirs):
        return theirs, False
    if theirs == base:
        return ours, False
    a, b, o = ours.splitlines(True), theirs.splitlines(True), base.splitlines(True)
    merged, conflict = [], False
    for group in Merge3(o, a, b).merge_groups():
        kind = group[0]
        if kind == "conflict":
            conflict = True
            merged.extend(group[2])  # the lesson as it is now
        else:
            merged.extend(group[1])
    return "".join(merged), conflict


def change(contribution, lesson) -> Draft:
    """The proposal applied to the lesson as it is now."""
    base = (
        contribution.base_revision.content()
        if contribution.base_revision
        else lesson.current_revision.content()
    )
    proposal = contribution.proposal or base
    current = lesson.current_revision.content()
    merged, conflicts = {}, []
    for name in ("title", "summary", "body"):
        merged[name], conflict = _merge_text(base[name], current[name], proposal[name])
        if conflict:
            conflicts.append(name)
    for name in ("objectives", "quotes", "examples", "sources"):
        if current[name] == base[name] or current[name] == proposal[name]:
            merged[name] = proposal[name]
        elif proposal[name] == base[name]:
            merged[name] = current[name]
        else:
            merged[name] = current[name]
            conflicts.append(name)
    return Draft(normalise_content(merged), conflicts)
