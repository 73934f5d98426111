"""The one exception type for bad user input, so callers can tell it from bugs."""


class EngineError(ValueError):
    """Bad input a user can fix (unknown name, wrong shape, a cycle…); the message says how."""
