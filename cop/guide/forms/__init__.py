"""The guide's forms: lessons (with their quotes, examples and sources), chapters, editions."""

from cop.guide.forms.chapters import ChapterForm
from cop.guide.forms.editions import EditionForm
from cop.guide.forms.lessons import LessonForm

__all__ = ["ChapterForm", "EditionForm", "LessonForm"]
