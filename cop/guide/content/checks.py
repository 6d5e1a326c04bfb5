"""Checks of parsed content files; every problem names its file, line and reason."""

from __future__ import annotations

import datetime as dt

from cop.guide import rules
from cop.guide.content.format import CHAPTER_KEYS, ITEM_KEYS, LESSON_KEYS, Document, Problem
from cop.guide.models import AUDIENCES, EVIDENCE, THEME_GROUPS, LessonStatus
from cop.guide.rules import content_errors, normalise_content


def check_keys(doc: Document, allowed: set, required: tuple, problems: list[Problem], *path) -> None:
    data = doc.data
    for step in path:
        data = data[step]
    for key in data:
        if key not in allowed:
            problems.append(Problem(doc.name, doc.line(*path, key), f"unknown key '{key}'"))
    for key in required:
        if data.get(key) in (None, ""):
            problems.append(
                Problem(doc.name, doc.line(*path) if path else 1 + doc.offset, f"'{key}' is required")
            )


def _is_text(value) -> bool:
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def check_text_list(doc, key, problems):
    value = doc.data.get(key)
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(doc.name, doc.line(key), f"'{key}' must be a list of texts"))


def check_themes_file(doc: Document, problems: list[Problem]) -> list[tuple[Document, dict]]:
    items = doc.data.get("themes")
    if not isinstance(items, list):
        problems.append(Problem(doc.name, doc.line("themes"), "'themes' must be a list"))
        return []
    seen, result = set(), []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(doc.name, doc.line("themes", i), "each theme must be a mapping"))
            continue
        check_keys(doc, {"slug", "title", "description", "group"}, ("slug", "title"), problems, "themes", i)
        group = item.get("group", "thema")
        if group not in THEME_GROUPS:
            allowed = ", ".join(THEME_GROUPS)
            problems.append(
                Problem(
                    doc.name, doc.line("themes", i, "group"), f"group must be one of {allowed}, not '{group}'"
                )
            )
        slug = str(item.get("slug") or "")
        if slug and rules.slug_problem(slug):
            problems.append(
                Problem(doc.name, doc.line("themes", i, "slug"), rules.english("slug", value=slug))
            )
        if slug in seen:
            problems.append(Problem(doc.name, doc.line("themes", i, "slug"), f"theme '{slug}' appears twice"))
        seen.add(slug)
        result.append((doc, item))
    return result


def _is_date(value) -> bool:
    """A date and nothing else: YAML reads ``2024-05-31 10:00`` as a datetime, which is a date too."""
    return type(value) is dt.date


def check_chapter(doc: Document, problems: list[Problem]) -> None:
    check_keys(doc, CHAPTER_KEYS, ("number", "title"), problems)
    number = doc.data.get("number")
    if number is not None and (
        type(number) is not int or not 0 < number < 1000 or not doc.written_as("number", r"[1-9][0-9]{0,2}")
    ):
        problems.append(
            Problem(doc.name, doc.line("number"), "'number' must be a whole number such as 1, without quotes")
        )
    check_text_list(doc, "objectives", problems)


def check_lesson(doc: Document, theme_slugs: set, chapter_numbers: set, problems: list[Problem]) -> None:
    data = doc.data
    check_keys(doc, LESSON_KEYS, ("number", "title"), problems)
    raw_number = data.get("number")
    number = raw_number if isinstance(raw_number, str) else ""
    if raw_number not in (None, "") and not isinstance(raw_number, str):
        problems.append(
            Problem(
                doc.name,
                doc.line("number"),
                f"'number' must be text in quotes, like '1.10' (YAML reads {raw_number!r} as a number)",
            )
        )
    elif number and rules.number_problem(number):
        reason = rules.english(rules.number_problem(number), value=number)
        problems.append(Problem(doc.name, doc.line("number"), reason))
    elif number and int(number.split(".")[0]) not in chapter_numbers:
        problems.append(
            Problem(doc.name, doc.line("number"), f"chapter {number.split('.')[0]} does not exist")
        )
    if data.get("slug") is not None and rules.slug_problem(str(data["slug"])):
        problems.append(Problem(doc.name, doc.line("slug"), rules.english("slug", value=data["slug"])))
    if data.get("status", "draft") not in {s.value for s in LessonStatus}:
        problems.append(Problem(doc.name, doc.line("status"), "'status' must be draft or published"))
    if data.get("evidence") not in (None, *EVIDENCE):
        problems.append(
            Problem(doc.name, doc.line("evidence"), f"'evidence' must be one of {', '.join(EVIDENCE)}")
        )
    for key, allowed in (("audiences", set(AUDIENCES)), ("themes", theme_slugs)):
        values = data.get(key) or []
        if not isinstance(values, list):
            problems.append(Problem(doc.name, doc.line(key), f"'{key}' must be a list"))
            continue
        for i, value in enumerate(values):
            if value not in allowed:
                problems.append(Problem(doc.name, doc.line(key, i), f"unknown {key[:-1]} '{value}'"))
    reviewed = data.get("last_reviewed")
    if reviewed is not None and not _is_date(reviewed):
        problems.append(
            Problem(
                doc.name,
                doc.line("last_reviewed"),
                "'last_reviewed' must be a date like 2024-05-31, without a time",
            )
        )
    check_text_list(doc, "objectives", problems)
    for key in ("title", "summary", "change_note"):
        if not _is_text(data.get(key)):
            problems.append(Problem(doc.name, doc.line(key), f"'{key}' must be text"))
    for key, allowed in ITEM_KEYS.items():
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            problems.append(Problem(doc.name, doc.line(key), f"'{key}' must be a list of mappings"))
            continue
        for i, item in enumerate(items):
            check_keys(doc, allowed, (), problems, key, i)
            for name, value in item.items():
                if not _is_text(value):
                    problems.append(Problem(doc.name, doc.line(key, i, name), f"'{name}' must be text"))
    if any(p.file == doc.name for p in problems):
        return
    try:
        content = lesson_content(doc)
    except (TypeError, ValueError):
        problems.append(Problem(doc.name, doc.line("sources"), "a source's year must be a whole number"))
        return
    for path, reason in content_errors(content):
        problems.append(Problem(doc.name, doc.line(*path), reason))


def lesson_content(doc: Document) -> dict:
    return normalise_content({**doc.data, "body": doc.body})


def check_unique(docs: list[Document], key: str, what: str, problems: list[Problem]) -> None:
    seen: dict = {}
    for doc in docs:
        value = str(doc.data.get(key))
        if value in seen:
            problems.append(Problem(doc.name, doc.line(key), f"{what} {value} is also in {seen[value]}"))
        seen[value] = doc.name


def check_edition(doc: Document, problems: list[Problem]) -> None:
    check_keys(doc, {"number", "title", "date", "note"}, ("number", "title"), problems)
    number = doc.data.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        problems.append(Problem(doc.name, doc.line("number"), "'number' must be a whole number"))
    if doc.data.get("date") is not None and not _is_date(doc.data["date"]):
        problems.append(
            Problem(doc.name, doc.line("date"), "'date' must be a date like 2012-04-01, without a time")
        )
