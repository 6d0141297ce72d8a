"""Acronyms a text defines for itself: "the Baloch Liberation Army (BLA) ... the BLA" codes
the short form as the long one, whatever the knowledge files know of it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from eventwire.actors.candidates import _Cand
from eventwire.models import Entity

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_ACRONYM = 8


def _defined_after(doc: Doc, cand: _Cand) -> str | None:
    """The acronym in parentheses right after a candidate: "... Army (BLA)"."""
    end = cand.end
    if end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
        return None
    word = doc[end + 1].text
    letters = word.replace(".", "")
    return word if letters.isupper() and 2 <= len(letters) <= MAX_ACRONYM else None


def with_defined_acronyms(doc: Doc, candidates: list[_Cand]) -> list[_Cand]:
    """Uncoded mentions of a defined acronym take the coding of the words it abbreviates."""
    defined: dict[str, Entity] = {}
    for cand in candidates:
        if cand.entity.sector or cand.entity.country:
            acronym = _defined_after(doc, cand)
            if acronym is not None:
                defined.setdefault(acronym, cand.entity)
    if not defined:
        return candidates
    out = []
    for cand in candidates:
        entity = cand.entity
        source = defined.get(entity.org or entity.text)  # unlisted orgs: named without "the"
        if source is not None and not (entity.sector or entity.country) and cand.ref is None:
            entity = entity.model_copy(
                update={
                    "name": source.name,
                    "country": source.country,
                    "sector": source.sector,
                    "org": source.org,
                    "kind": source.kind,
                }
            )
            cand = replace(cand, entity=entity)
        out.append(cand)
    return out
