"""The guide's content as files: the format, its checks, the import and the export."""

from cop.guide.content.exporter import export_content
from cop.guide.content.format import ContentError, Problem
from cop.guide.content.importer import ImportReport, import_content, load_directory

__all__ = ["ContentError", "ImportReport", "Problem", "export_content", "import_content", "load_directory"]
