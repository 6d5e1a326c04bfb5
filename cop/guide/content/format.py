"""The content file format: constants, parsed documents with line numbers, and problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

THEMES_FILE = "themes.yaml"
EDITION_FILE = "edition.yaml"
CHAPTER_DIR = "hoofdstukken"
LESSON_DIR = "lessen"

CHAPTER_KEYS = {"number", "title", "objectives_intro", "objectives"}
LESSON_KEYS = {
    "number", "slug", "title", "status", "themes", "audiences", "evidence", "last_reviewed",
    "summary", "objectives", "quotes", "examples", "sources", "change_note",
}  # fmt: skip
ITEM_KEYS = {
    "quotes": {"text", "speaker", "organisation"},
    "examples": {"title", "place", "text", "source"},
    "sources": {"title", "authors", "publisher", "year", "url", "note"},
}


@dataclass
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Document:
    """One parsed file: its data, its Markdown body, and where each YAML value starts."""

    name: str
    data: dict
    body: str
    root: yaml.Node | None
    offset: int  # file line of the YAML document's first line, minus one

    def node(self, *path) -> yaml.Node | None:
        """The YAML node of the value at ``path``, or None when there is none."""
        node = self.root
        for step in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == step), None)
            elif (
                isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value)
            ):
                node = node.value[step]
            else:
                return None
        return node

    def written_as(self, key: str, pattern: str) -> bool:
        """True when the value of ``key`` is written in the file as a plain scalar matching ``pattern``
        (YAML reads 010 as 8 and 1.10 as 1.1; this looks at what the author typed)."""
        node = self.node(key)
        return (
            isinstance(node, yaml.ScalarNode)
            and node.style is None
            and re.fullmatch(pattern, node.value) is not None
        )

    def line(self, *path) -> int:
        """The file line where the value at ``path`` (keys and list indexes) starts."""
        node = self.root
        line = node.start_mark.line if node is not None else 0
        for step in path:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == step), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line, pair[1]
            elif (
                isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value)
            ):
                node = node.value[step]
                line = node.start_mark.line
            else:
                break
        return line + 1 + self.offset


def _yaml_problem(name: str, error: yaml.YAMLError, offset: int) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 + offset if mark else 1
    reason = getattr(error, "problem", None) or str(error)
    return Problem(name, line, f"invalid YAML: {reason}")


def _parse_yaml(name: str, text: str, offset: int, problems: list[Problem]):
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        problems.append(_yaml_problem(name, error, offset))
        return None, None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(name, 1 + offset, "the YAML must be a mapping of keys to values"))
        return None, None
    return data, root


def read_markdown(path: Path, name: str, problems: list[Problem]) -> Document | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(name, 1, f"cannot read the file: {error}"))
        return None
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(name, 1, "the file must start with a line '---' and YAML front matter"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(name, len(lines), "the front matter is not closed by a line '---'"))
        return None
    data, root = _parse_yaml(name, "\n".join(lines[1:end]), 1, problems)
    if data is None:
        return None
    return Document(name, data, "\n".join(lines[end + 1 :]).strip(), root, 1)


def read_yaml(path: Path, name: str, problems: list[Problem]) -> Document | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(name, 1, f"cannot read the file: {error}"))
        return None
    data, root = _parse_yaml(name, text, 0, problems)
    return None if data is None else Document(name, data, "", root, 0)
