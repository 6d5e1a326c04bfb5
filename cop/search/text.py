"""Dutch text for the index and for queries: folding, stop words, stemming, synonyms, snippets.

The same words go into the index and into a query, so "wijken" finds "wijk" and "Zoë" finds "zoe".
SQLite gets the words stemmed here with the Snowball ``dutch`` stemmer and without stop words;
PostgreSQL gets the folded words and stems them itself with its ``dutch`` configuration.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import snowballstemmer
from markupsafe import Markup, escape

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12
SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")

# The Snowball list of Dutch stop words (PostgreSQL's ``dutch.stop`` is the same list).
STOP_WORDS = frozenset(
    [
        "de",
        "en",
        "van",
        "ik",
        "te",
        "dat",
        "die",
        "in",
        "een",
        "hij",
        "het",
        "niet",
        "zijn",
        "is",
        "was",
        "op",
        "aan",
        "met",
        "als",
        "voor",
        "had",
        "er",
        "maar",
        "om",
        "hem",
        "dan",
        "zou",
        "of",
        "wat",
        "mijn",
        "men",
        "dit",
        "zo",
        "door",
        "over",
        "ze",
        "zich",
        "bij",
        "ook",
        "tot",
        "je",
        "mij",
        "uit",
        "der",
        "daar",
        "haar",
        "naar",
        "heb",
        "hoe",
        "heeft",
        "hebben",
        "deze",
        "u",
        "want",
        "nog",
        "zal",
        "me",
        "zij",
        "nu",
        "ge",
        "geen",
        "omdat",
        "iets",
        "worden",
        "toch",
        "al",
        "waren",
        "veel",
        "meer",
        "doen",
        "toen",
        "moet",
        "ben",
        "zonder",
        "kan",
        "hun",
        "dus",
        "alles",
        "onder",
        "ja",
        "eens",
        "hier",
        "wie",
        "werd",
        "altijd",
        "doch",
        "wordt",
        "wezen",
        "kunnen",
        "ons",
        "zelf",
        "tegen",
        "na",
        "reeds",
        "wil",
        "kon",
        "niets",
        "uw",
        "iemand",
        "geweest",
        "andere",
    ]
)
_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    """Lower case, accents and ligatures off: 'Zoë's Ĳssel' -> "zoe's ijssel"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return _WORD.findall(fold(text))


@cache
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def index_text(text: str, dialect: str) -> str:
    """What the database indexes: stemmed words without stop words (SQLite) or folded words
    (PostgreSQL, which stems and drops stop words itself, keeping their positions for phrases)."""
    found = words(text)
    if dialect == "postgresql":
        return " ".join(found)
    return " ".join(stem(w) for w in found if w not in STOP_WORDS)


# --- synonyms -------------------------------------------------------------------------------------


@cache
def synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The groups of ``synonyms.txt``, each a tuple of alternatives, each a tuple of folded words."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        alternatives = tuple(dict.fromkeys(tuple(words(part)) for part in line.split(",") if words(part)))
        if len(alternatives) > 1:
            groups.append(alternatives)
    return tuple(groups)


def _key(alternative: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(w) for w in alternative if w not in STOP_WORDS)


@cache
def _synonym_index() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    index = {}
    for group in synonym_groups():
        for alternative in group:
            key = _key(alternative)
            if key:
                index[key] = group
    return index


# --- queries --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What a visitor asked: clauses that must all match; a clause matches when one of its
    alternatives (a word or a phrase, as folded words) does."""

    text: str
    clauses: tuple[tuple[tuple[str, ...], ...], ...]
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def stems(self) -> set[str]:
        """The stems of every word asked for, synonyms included (for marking snippets)."""
        return {stem(w) for clause in self.clauses for alt in clause for w in alt if w not in STOP_WORDS}

    def typed_words(self) -> list[str]:
        """The words the visitor typed (no synonyms), for suggestions."""
        return [w for w in words(self.text) if w not in STOP_WORDS]

    def stemmed(self) -> tuple[tuple[str, ...], ...]:
        """The clauses as SQLite's index holds them: each a tuple of alternatives, each alternative
        its stems joined by spaces (stop words left out, as in the index)."""
        clauses = []
        for clause in self.clauses:
            alternatives = []
            for alternative in clause:
                stems = [stem(w) for w in alternative if w not in STOP_WORDS]
                if stems:
                    alternatives.append(" ".join(stems))
            if alternatives:
                clauses.append(tuple(dict.fromkeys(alternatives)))
        return tuple(clauses)

    def fts5(self, title_only: bool = False) -> str:
        """An FTS5 MATCH expression over the text columns (the title alone with ``title_only``):
        every word quoted, so no input is read as an operator."""
        parts = []
        for alternatives in self.stemmed():
            quoted = [f'"{alternative}"' for alternative in alternatives]
            parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
        columns = "{index_title}" if title_only else "{index_title index_body}"
        return f"{columns} : ({' AND '.join(parts)})"

    def tsquery(self, title_only: bool = False) -> str:
        """Text for PostgreSQL's ``to_tsquery('dutch', …)``: quoted words, ``<->`` within a phrase."""
        weight = ":A" if title_only else ""
        parts = []
        for clause in self.clauses:
            alternatives = []
            for alternative in clause:
                if all(w in STOP_WORDS for w in alternative):
                    continue
                alternatives.append(" <-> ".join(f"'{w}'{weight}" for w in alternative))
            if alternatives:
                parts.append("(" + " | ".join(alternatives) + ")")
        return " & ".join(parts)


def _clean(text: str) -> str:
    text = "".join(c if c.isprintable() else " " for c in (text or "").replace("\x00", " "))
    return text.strip()


def parse(text: str) -> Query:
    """Read a visitor's query. Quoted parts are phrases; an unmatched quote is ignored; words of the
    synonym list bring their synonyms; stop words go. Never raises."""
    text = _clean(text)
    shortened = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    clauses: list[tuple[tuple[str, ...], ...]] = []
    for index, part in enumerate(re.split(r'"', text) if text.count('"') >= 2 else [text.replace('"', " ")]):
        if text.count('"') >= 2 and index % 2 == 1 and index < len(re.split(r'"', text)) - 1:
            phrase = tuple(words(part))
            if phrase and not all(w in STOP_WORDS for w in phrase):
                clauses.append(_with_synonyms(phrase))
            continue
        clauses.extend(_loose_words([w for w in words(part) if w not in STOP_WORDS]))
    unique = list(dict.fromkeys(clauses))
    if len(unique) > MAX_CLAUSES:
        unique, shortened = unique[:MAX_CLAUSES], True
    return Query(text=text, clauses=tuple(unique), shortened=shortened)


def _with_synonyms(phrase: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    group = _synonym_index().get(_key(phrase))
    return group if group else (phrase,)


def _loose_words(found: list[str]) -> list[tuple[tuple[str, ...], ...]]:
    """Each word is a clause; a run of words that is an entry of the synonym list becomes one
    clause with all of the entry's alternatives (the longest entry wins)."""
    index = _synonym_index()
    longest = max((len(key) for key in index), default=1)
    clauses, position = [], 0
    while position < len(found):
        for size in range(min(longest, len(found) - position), 0, -1):
            key = tuple(stem(w) for w in found[position : position + size])
            if key in index:
                clauses.append(index[key])
                position += size
                break
        else:
            clauses.append((tuple(found[position : position + 1]),))
            position += 1
    return clauses


# --- snippets -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+|[\W_]+")
_SCAN = 20_000  # characters searched for the first hit: a snippet comes from the start of a text


@cache
def _stem_of_token(token: str) -> str:
    return stem(fold(token)) if not token.isascii() else stem(token.lower())


def snippet(body: str, stems: set[str], length: int = 220) -> Markup:
    """A piece of ``body`` around the first word asked for, with the words asked for in ``<mark>``.
    The text is escaped first; only the marks are markup."""
    body = " ".join((body or "")[:_SCAN].split())
    tokens = _TOKEN.findall(body)
    first = next(
        (i for i, token in enumerate(tokens) if token[0].isalnum() and _stem_of_token(token) in stems), None
    )
    start = 0
    if first is not None:
        before, start = 0, first
        while start > 0 and before < length // 3:
            start -= 1
            before += len(tokens[start])
    pieces, plain, used = [Markup("… ") if start > 0 else Markup("")], [], 0
    for token in tokens[start:]:
        if used >= length and token[0].isalnum():
            plain.append("…")
            break
        used += len(token)
        if token[0].isalnum() and _stem_of_token(token) in stems:
            pieces.append(escape("".join(plain)))
            pieces.append(Markup("<mark>%s</mark>") % token)
            plain = []
        else:
            plain.append(token)
    pieces.append(escape("".join(plain)))
    return Markup("").join(pieces)
