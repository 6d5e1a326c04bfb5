"""The rules of a lesson, each written once: its number, its slug, the entries of its lists and the
limits of its content. The lesson form, the guide's services and the content file checker all ask
this module, and each reason has one message: in English for the content files (the command line
speaks English) and through gettext for the web forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cop.forms import TOO_LONG_MESSAGE
from cop.guide.models import AUDIENCES, EVIDENCE, EXAMPLE_FIELDS, QUOTE_FIELDS, SOURCE_FIELDS
from cop.text import slugify as text_slugify

# Every part of a lesson number is a whole number from 1 without leading zeros: 1.2, 2.4.5, 1.10
# (not 1.02, which would sort and read like 1.2, and not 1.0).
NUMBER_RE = re.compile(r"^[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2}){1,3}$")
LOOSE_NUMBER_RE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){1,3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"^https?://[^\s]+$")

LIMITS = {
    "title": 200,
    "summary": 5_000,
    "objective": 300,
    "body": 100_000,
    "change_note": 300,
    "slug": 120,
    "quote.text": 5_000,
    "quote.speaker": 120,
    "quote.organisation": 160,
    "example.title": 200,
    "example.place": 160,
    "example.text": 20_000,
    "example.source": 500,
    "source.title": 300,
    "source.authors": 300,
    "source.publisher": 200,
    "source.url": 500,
    "source.note": 500,
    "chapter.title": 200,
    "chapter.intro": 20_000,
    "chapter.objectives_intro": 200,
}
MAX_ITEMS = {"objectives": 20, "quotes": 20, "examples": 20, "sources": 50}
YEAR_RANGE = (1800, 2100)
# The fields an entry of each list must have once any of its fields is filled.
REQUIRED_IN_ENTRY = {"quotes": ("text", "speaker"), "examples": ("title", "text"), "sources": ("title",)}

# Why something is not valid, per reason code: (English for the content files, the form's message).
REASONS = {
    "too_long": ("use at most %(max)d characters", TOO_LONG_MESSAGE),
    "title_required": ("a title is required", _l("Enter a title.")),
    "too_many.objectives": ("at most %(max)d objectives", _l("Give at most %(max)d objectives.")),
    "too_many.quotes": ("at most %(max)d quotes", _l("Give at most %(max)d quotes.")),
    "too_many.examples": ("at most %(max)d practice examples", _l("Give at most %(max)d practice examples.")),
    "too_many.sources": ("at most %(max)d sources", _l("Give at most %(max)d sources.")),
    "quotes.text": ("a quote needs its text", _l("Enter the text of the quote.")),
    "quotes.speaker": ("a quote needs the name of the speaker", _l("Enter who said it.")),
    "examples.title": ("a practice example needs a title", _l("Give the example a title.")),
    "examples.text": ("a practice example needs its text", _l("Describe the example.")),
    "sources.title": ("a source needs a title", _l("Enter the title of the source.")),
    "year": ("a year between %(min)d and %(max)d", _l("Enter a year between %(min)s and %(max)s.")),
    "url": (
        "a web address starting with http:// or https://",
        _l("Enter a web address that starts with https://."),
    ),
    "number": (
        "'%(value)s' is not a lesson number like 1.2",
        _l("Write the number as chapter and section, for example 1.2 or 2.4.5."),
    ),
    "number.zero": (
        "'%(value)s' has a part that is 0 or starts with 0; write it like 1.2, not 1.02",
        _l("Start each part of the number at 1 and leave out leading zeros: 1.2, not 1.02 or 1.0."),
    ),
    "number.chapter": (
        "a lesson in chapter %(chapter)d has a number that starts with %(chapter)d",
        _l("A lesson in chapter %(chapter)d has a number that starts with %(chapter)d."),
    ),
    "number.taken": (
        "lesson %(number)s exists already",
        _l("Lesson %(number)s exists already. Choose another number."),
    ),
    "slug": (
        "'%(value)s' is not a valid slug",
        _l("Use only lower-case letters, digits and hyphens, for example wat-de-wijkengids-beoogt."),
    ),
}


def message(code: str, **params) -> str:
    """The form's message for ``code`` in the user's language."""
    return str(REASONS[code][1]) % params if params else str(REASONS[code][1])


def english(code: str, **params) -> str:
    return REASONS[code][0] % params


# --- number and slug ------------------------------------------------------------------------------


def number_problem(number: str, chapter_number: int | None = None) -> str | None:
    """None when ``number`` is a valid lesson number (in that chapter), else its reason code."""
    if not NUMBER_RE.match(number or ""):
        return "number.zero" if LOOSE_NUMBER_RE.match(number or "") else "number"
    if chapter_number is not None and int(number.split(".")[0]) != chapter_number:
        return "number.chapter"
    return None


def slug_problem(slug: str) -> str | None:
    return None if SLUG_RE.match(slug or "") and len(slug) <= LIMITS["slug"] else "slug"


def slugify(text: str) -> str:
    return text_slugify(text, LIMITS["slug"])


# --- entries --------------------------------------------------------------------------------------


def year_problem(value) -> str | None:
    """None for an empty year or a whole number in YEAR_RANGE written in digits, else "year"."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isascii() and text.isdigit() and YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]:
        return None
    return "year"


def url_problem(value: str) -> str | None:
    return None if not value or URL_RE.match(value) else "url"


def entry_problems(kind: str, entry: dict) -> list[tuple[str, str]]:
    """(field, reason code) for an entry of ``kind`` ("quotes", "examples", "sources"). An entry with
    every field empty has none: it is simply left out."""
    if not any(value not in ("", None) for value in entry.values()):
        return []
    problems = [(name, f"{kind}.{name}") for name in REQUIRED_IN_ENTRY[kind] if not entry.get(name)]
    if kind == "sources":
        if year_problem(entry.get("year")):
            problems.append(("year", "year"))
        if url_problem(entry.get("url") or ""):
            problems.append(("url", "url"))
    return problems


# --- whole content --------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip()


def _year(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    return int(value)


def normalise_content(raw: dict) -> dict:
    """Plain, stripped lesson content with empty list entries dropped. Raises ValueError on a bad year."""
    objectives = [_text(o).lstrip("-•* ").strip() for o in raw.get("objectives") or []]
    quotes = [{k: _text((q or {}).get(k)) for k in QUOTE_FIELDS} for q in raw.get("quotes") or []]
    examples = [{k: _text((e or {}).get(k)) for k in EXAMPLE_FIELDS} for e in raw.get("examples") or []]
    sources = []
    for s in raw.get("sources") or []:
        s = s or {}
        item = {k: _text(s.get(k)) for k in SOURCE_FIELDS if k != "year"}
        item["year"] = _year(s.get("year"))
        sources.append({k: item[k] for k in SOURCE_FIELDS})
    return {
        "title": _text(raw.get("title")),
        "summary": _text(raw.get("summary")),
        "objectives": [o for o in objectives if o],
        "body": _text(raw.get("body")),
        "quotes": [q for q in quotes if any(q.values())],
        "examples": [e for e in examples if any(e.values())],
        "sources": [s for s in sources if any(v not in ("", None) for v in s.values())],
    }


@dataclass
class ContentProblem:
    """One problem in lesson content: where (like ('quotes', 0, 'text')), why, and its numbers."""

    path: tuple
    code: str
    params: dict = field(default_factory=dict)

    @property
    def english(self) -> str:
        return english(self.code, **self.params)

    def message(self) -> str:
        """The reason in the user's language; a problem inside a list names the item's number."""
        reason = message(self.code, **self.params)
        if len(self.path) > 1 and isinstance(self.path[1], int):
            return _("Item %(number)d: %(problem)s", number=self.path[1] + 1, problem=reason)
        return reason


ENTRY_LIMIT_KEYS = {"quotes": "quote", "examples": "example", "sources": "source"}


def content_problems(content: dict) -> list[ContentProblem]:
    """Problems in normalised content, in page order."""
    problems: list[ContentProblem] = []

    def add(path, code, **params):
        problems.append(ContentProblem(path, code, params))

    def too_long(path, value, limit_key):
        if len(value) > LIMITS[limit_key]:
            add(path, "too_long", max=LIMITS[limit_key])

    if not content["title"]:
        add(("title",), "title_required")
    too_long(("title",), content["title"], "title")
    too_long(("summary",), content["summary"], "summary")
    too_long(("body",), content["body"], "body")
    for key, limit in MAX_ITEMS.items():
        if len(content[key]) > limit:
            add((key,), f"too_many.{key}", max=limit)
    for i, objective in enumerate(content["objectives"]):
        too_long(("objectives", i), objective, "objective")
    for kind, limit_prefix in ENTRY_LIMIT_KEYS.items():
        for i, entry in enumerate(content[kind]):
            for name, code in entry_problems(kind, entry):
                params = {"min": YEAR_RANGE[0], "max": YEAR_RANGE[1]} if code == "year" else {}
                add((kind, i, name), code, **params)
            for name, value in entry.items():
                if name != "year":
                    too_long((kind, i, name), value or "", f"{limit_prefix}.{name}")
    return problems


def content_errors(content: dict) -> list[tuple[tuple, str]]:
    """Problems in normalised content as (path, English reason), for the content files."""
    return [(problem.path, problem.english) for problem in content_problems(content)]


def clean_audiences(values) -> list[str]:
    return [a for a in AUDIENCES if a in set(values or [])]


def valid_evidence(value) -> bool:
    return value in (None, "") or value in EVIDENCE
