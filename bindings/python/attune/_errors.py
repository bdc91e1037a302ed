"""The attune.Error family: one subclass per attune::ErrorKind, with the same fields as the C++ error."""
from __future__ import annotations

from typing import Optional


class Error(Exception):
    """Base of every attune error.

    ``str(e)`` is the full message with its location, as the C++ ``what()``; the fields say where it
    happened (``None`` / ``""`` where they do not apply) and what was expected instead.
    """

    kind: str = "error"
    code: int = 0

    def __init__(self, message: str, *, reason: Optional[str] = None, expected: str = "", file: str = "",
                 row: Optional[int] = None, line: Optional[int] = None, column: Optional[int] = None,
                 column_name: str = "", item: str = "", value: str = "", json_path: str = "") -> None:
        super().__init__(message)
        self.reason = reason if reason is not None else message
        self.expected = expected
        self.file = file
        self.row = row
        self.line = line
        self.column = column
        self.column_name = column_name
        self.item = item
        self.value = value
        self.json_path = json_path

    def __reduce__(self):  # picklable, so errors raised on Dask workers reach the client intact
        return (_rebuild, (type(self), str(self), self.__dict__))


def _rebuild(cls, message, fields):
    e = cls(message)
    e.__dict__.update(fields)
    return e


class UsageError(Error, ValueError):
    """A caller passed something the API does not accept."""
    kind, code = "usage", 1


class InstrumentError(Error):
    """An instrument file is malformed or inconsistent."""
    kind, code = "instrument", 2


class AnswerError(Error, ValueError):
    """An answer is out of range, not an integer, or not a number."""
    kind, code = "answer", 3


class DataError(Error, ValueError):
    """A data file or frame is malformed (missing column, non-numeric values, ...)."""
    kind, code = "data", 4


class IoError(Error, OSError):
    """A file could not be opened, read or written."""
    kind, code = "io", 5


class TextPackError(Error):
    """A text pack is malformed or does not fit its instrument."""
    kind, code = "text_pack", 6


class LimitError(Error):
    """An input exceeds a documented limit."""
    kind, code = "limit", 7


class InternalError(Error):
    """A bug in attune."""
    kind, code = "internal", 99


_BY_CODE = {c.code: c for c in (UsageError, InstrumentError, AnswerError, DataError, IoError, TextPackError,
                                LimitError, InternalError)}


def from_core(code: int, what: str, fields: dict) -> Error:
    """Called by attune._core to turn an attune::Error into the matching Python exception."""
    cls = _BY_CODE.get(code, InternalError)

    def num(v):
        return None if v is None or v < 0 else int(v)

    return cls(what, reason=fields.get("message"), expected=fields.get("expected", ""), file=fields.get("file", ""),
               row=num(fields.get("row")), line=num(fields.get("line")), column=num(fields.get("column")),
               column_name=fields.get("column_name", ""), item=fields.get("item", ""), value=fields.get("value", ""),
               json_path=fields.get("json_path", ""))
