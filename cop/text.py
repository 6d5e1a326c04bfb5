"""Plain-text helpers shared by every capability."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int) -> str:
    """'Zoë's buurt & wijk' -> 'zoes-buurt-wijk': lower-case ASCII letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    return slug[:max_length].rstrip("-")
