"""Errors of the document layer: a user can read and fix every one of them."""


class DocumentError(ValueError):
    """The document cannot be used as it is (the message says why)."""


class FileFormatError(DocumentError):
    """A project file is unreadable or invalid; ``errors`` holds one message per problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))
