"""Exceptions shared by readers, loaders and the CLI."""


class InputRejected(Exception):
    """The input as a whole is refused; nothing of it is published.

    ``code`` is machine-readable (GTFS validator vocabulary where it applies),
    the message is one line a person can act on.
    """

    def __init__(self, message: str, code: str = "input_rejected"):
        super().__init__(message)
        self.code = code


class ConfigError(Exception):
    """The catalog, the environment or the machine is not set up as needed."""
