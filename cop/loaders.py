"""Loading the object a URL names: 404 when it does not exist or the viewer may not see it, and a
permanent redirect to its canonical address when the URL used an outdated slug.

    @bp.route("/les/<ref>")
    @loads("lesson", queries.lesson_by_ref, param="ref", canonical=lambda lesson: lesson.ref)
    def lesson(lesson): ...

A form posted to an outdated address is handled there: a redirect would turn the POST into a GET
and lose what the member typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import redirect, request, url_for

from cop.permissions import visible_or_404


def loads(name: str, finder: Callable, *, param: str, canonical: Callable | None = None):
    """Replace the URL argument ``param`` by the object ``finder(value)`` as keyword ``name``."""

    def decorator(view):
        @wraps(view)
        def wrapped(**kwargs):
            value = kwargs.pop(param)
            obj = visible_or_404(finder(value))
            if canonical is not None and request.method in ("GET", "HEAD"):
                expected = canonical(obj)
                if str(expected) != value:
                    args = {**request.args.to_dict(), **request.view_args, param: expected}
                    return redirect(url_for(request.endpoint, **args), 301)
            kwargs[name] = obj
            return view(**kwargs)

        return wrapped

    return decorator
