"""The three kinds of contribution: their fields (what a form asks and the page shows) and the
criteria a moderator reviews them by.

A practice experience follows the elements the Dutch social domain uses to judge whether a practice
is well described ("goed beschreven"): the occasion and target group, the goal, the approach,
the conditions it needed, the results and how they are known, and what another place needs to do
the same.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


class Kind(enum.StrEnum):
    PRACTICE = "praktijkervaring"
    LESSON = "lesvoorstel"
    CHANGE = "verbetervoorstel"


KIND_LABELS = {
    Kind.PRACTICE: _l("Practice experience"),
    Kind.LESSON: _l("Lesson proposal"),
    Kind.CHANGE: _l("Suggested improvement"),
}
KIND_HINTS = {
    Kind.PRACTICE: _l(
        "What you did in your neighbourhood and what others can learn from it: the occasion, the approach, "
        "what it yielded and what another neighbourhood needs to do the same."
    ),
    Kind.LESSON: _l("A lesson the guide is missing: its summary, its text and why the guide needs it."),
    Kind.CHANGE: _l("An improvement to a lesson of the guide: you edit a copy of its text and say why."),
}


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    hint: object
    required: bool = False
    limit: int = 10_000
    rows: int = 6
    markdown: bool = True
    missing: object = None  # the message when a required field is empty


PRACTICE_FIELDS = (
    Field(
        "role",
        _l("Your role in it"),
        _l("For example: project leader for the municipality, or resident."),
        limit=200,
        rows=1,
        markdown=False,
    ),
    Field(
        "situation",
        _l("Occasion (aanleiding)"),
        _l("What was going on, and for whom: the target group."),
        required=True,
        missing=_l("Describe the occasion: what was going on, and for whom."),
    ),
    Field("goal", _l("Goal (doel)"), _l("What should change, and for whom."), rows=4),
    Field(
        "approach",
        _l("Approach (aanpak)"),
        _l("What was done, by whom, with which partners and residents, and for how long."),
        required=True,
        missing=_l("Describe the approach: what was done, by whom and with whom."),
        rows=8,
    ),
    Field(
        "conditions",
        _l("Conditions (randvoorwaarden)"),
        _l("What it needed: money, people, mandate, cooperation."),
        rows=4,
    ),
    Field(
        "results",
        _l("Results (resultaat)"),
        _l("What it yielded, and how you know: measured, observed or heard from residents and partners."),
        rows=5,
    ),
    Field(
        "transfer",
        _l("Transferability (overdraagbaarheid)"),
        _l("What another neighbourhood needs to do the same, and what it should watch out for."),
        rows=5,
    ),
    Field(
        "lesson",
        _l("The lesson for others"),
        _l("In one or two sentences."),
        required=True,
        missing=_l("Write the lesson for others in one or two sentences."),
        limit=600,
        rows=3,
    ),
    Field("sources", _l("Sources and links"), _l("Reports, evaluations, articles: one per line."), rows=3),
)
LESSON_FIELDS = (
    Field(
        "summary",
        _l("Summary"),
        _l("The lesson in a few sentences."),
        required=True,
        missing=_l("Write a summary."),
        limit=2000,
        rows=4,
    ),
    Field(
        "body",
        _l("Text"),
        _l("The lesson itself. Markdown: an empty line starts a paragraph."),
        required=True,
        missing=_l("Write the text of the lesson."),
        limit=50_000,
        rows=14,
    ),
    Field("sources", _l("Sources and links"), _l("What the lesson is based on: one per line."), rows=3),
    Field(
        "why",
        _l("Why the guide needs it"),
        _l("What is missing now, and who needs it."),
        required=True,
        missing=_l("Say why the guide needs this lesson."),
        limit=3000,
        rows=4,
    ),
)
CHANGE_FIELDS = (
    Field(
        "why",
        _l("Why this improvement"),
        _l("What is wrong or missing in the lesson now."),
        required=True,
        missing=_l("Say why the lesson should change."),
        limit=3000,
        rows=4,
    ),
)
FIELDS = {Kind.PRACTICE: PRACTICE_FIELDS, Kind.LESSON: LESSON_FIELDS, Kind.CHANGE: CHANGE_FIELDS}

RESULT_BASES = {"gemeten": _l("measured"), "waargenomen": _l("observed"), "gehoord": _l("heard")}


class Verdict(enum.StrEnum):
    MEETS = "voldoet"
    NOT_YET = "nog_niet"
    NOT_APPLICABLE = "nvt"


VERDICT_LABELS = {
    Verdict.MEETS: _l("Meets it"),
    Verdict.NOT_YET: _l("Not yet"),
    Verdict.NOT_APPLICABLE: _l("Not applicable"),
}


@dataclass(frozen=True)
class Criterion:
    name: str
    question: object


PRIVACY = Criterion("privacy", _l("Is it free of personal data: does it name no residents or others?"))
CRITERIA = {
    Kind.PRACTICE: (
        Criterion("situation", _l("Are the occasion and the target group described?")),
        Criterion("goal", _l("Is the goal described?")),
        Criterion("approach", _l("Is the approach described: what, by whom, with whom, how long?")),
        Criterion("conditions", _l("Are the conditions described?")),
        Criterion("results", _l("Are the results described, with how they are known?")),
        Criterion("transfer", _l("Is it described what another neighbourhood needs to do the same?")),
        Criterion("lesson", _l("Is the lesson for others clear?")),
        PRIVACY,
    ),
    Kind.LESSON: (
        Criterion("summary", _l("Is the summary clear?")),
        Criterion("grounded", _l("Is the lesson grounded in practice or research, with sources?")),
        Criterion("needed", _l("Is it clear why the guide needs it, and where it belongs?")),
        PRIVACY,
    ),
    Kind.CHANGE: (
        Criterion("correct", _l("Is the improvement correct?")),
        Criterion("reason", _l("Is the reason for it clear?")),
        Criterion("fits", _l("Does it fit the lesson and the rest of the guide?")),
        PRIVACY,
    ),
}


class Endorsement(enum.StrEnum):
    RECOGNISED = "herkenbaar"
    WORKS_HERE = "werkt_ook_bij_ons"


ENDORSEMENT_LABELS = {
    Endorsement.RECOGNISED: _l("Recognisable"),
    Endorsement.WORKS_HERE: _l("Works for us too"),
}
