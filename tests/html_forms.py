"""The POST forms of a page as the browser would send them: action, and each field's name and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class HtmlForm:
    action: str  # a path
    fields: dict[str, str] = field(default_factory=dict)  # what the form sends as it stands
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type, "textarea" or "select"


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = urlsplit(urljoin(self.page_path, attrs.get("action") or self.page_path)).path
                self._form = HtmlForm(action)
            return
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            self._form.kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form.fields[name] = attrs.get("value") or "y"
                else:
                    self._form.fields.setdefault(name, "")
            else:
                self._form.fields[name] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self._form.kinds[name] = "textarea"
            self._form.fields[name] = ""
        elif tag == "select":
            self._select = name
            self._form.kinds[name] = "select"
            self._form.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self._form.fields[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def post_forms(html: str, page_path: str) -> list[HtmlForm]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
