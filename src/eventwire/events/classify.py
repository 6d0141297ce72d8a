"""The classify step of the events stage (see ``classify``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span


from eventwire.events.matching import _Found


def classify(found: list[_Found], sent: Span) -> list[_Found]:
    """Where a learned model decides event-or-not and the type of each rule candidate.

    The seam for the sentence classifier (#8): it may drop candidates or re-type them
    (setting ``converted``); the rules keep giving the trigger and the arguments. Until
    then every candidate passes unchanged.
    """
    return found
