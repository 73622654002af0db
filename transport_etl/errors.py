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


def json_reason(exc: BaseException) -> str:
    """Why a JSON text could not be read, in words for the one-line refusal (not Python's advice on
    sys.set_int_max_str_digits for a 5000-digit number, nor a RecursionError's name)."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, UnicodeDecodeError):
        return f"bytes that are not UTF-8 at byte {exc.start}"
    if "int_max_str_digits" in str(exc) or "integer string conversion" in str(exc):
        return "a number of more than 4300 digits"
    return str(exc)[:200]
