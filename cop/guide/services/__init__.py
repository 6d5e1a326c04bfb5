"""The guide's operations: lessons (and their details), chapters and themes, editions."""

from cop.guide.services.chapters import ensure_theme, save_chapter, stage_chapter
from cop.guide.services.details import details_version
from cop.guide.services.editions import next_edition_number, publish_edition, stage_edition
from cop.guide.services.lessons import (
    SaveResult,
    check_base,
    create_lesson,
    preview,
    restore_revision,
    save_lesson,
    stage_lesson,
)
from cop.guide.services.reading import record_read

__all__ = [
    "SaveResult",
    "check_base",
    "create_lesson",
    "details_version",
    "ensure_theme",
    "next_edition_number",
    "preview",
    "publish_edition",
    "record_read",
    "restore_revision",
    "save_chapter",
    "save_lesson",
    "stage_chapter",
    "stage_edition",
    "stage_lesson",
]
