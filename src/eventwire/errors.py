"""Exceptions that carry enough context (file, line, record) for a useful message."""

from __future__ import annotations


class EventwireError(Exception):
    """Base class for errors eventwire reports to users."""


class InputError(EventwireError):
    """A document could not be read: names the origin (file, file:line) and the problem."""

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


class KnowledgeError(EventwireError):
    """A knowledge file is malformed: names the file and, where known, the line."""


class ModelNotFoundError(EventwireError):
    """The configured spaCy pipeline is not installed."""
