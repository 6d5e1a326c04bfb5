"""The guide's domain error, shared by its services and shown by its views."""


class GuideError(Exception):
    """A domain error the view shows at ``field`` (or at the top of the form when None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
