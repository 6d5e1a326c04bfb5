"""Extension points: higher packages add parts to the lesson and theme pages.

A package registers a function at app creation, e.g.::

    from cop.guide import panels
    panels.lesson_panels.register(lesson_discussions)   # fn(lesson) -> (template, context) | None

The page renders every registered part in registration order. A function returns None to show
nothing, and fetches its data in a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable


class PanelRegistry:
    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable] = []

    def register(self, function: Callable) -> Callable:
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: Callable) -> None:
        if function in self._functions:
            self._functions.remove(function)

    def render_parts(self, obj) -> list[tuple[str, dict]]:
        parts = []
        for function in self._functions:
            part = function(obj)
            if part is not None:
                parts.append(part)
        return parts


lesson_panels = PanelRegistry("lesson")
theme_panels = PanelRegistry("theme")
