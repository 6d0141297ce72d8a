"""The PLOVER codebook, once: types, the symmetric types, scores, quad classes, CAMEO<->PLOVER.

Read by events (scores and quad classes of coded events), query and store (dyad filters),
evaluate (dyad scoring) and export (GDELT quad-class numbers). The types and quad classes
are the enums of ``models``; the scores, quad class of each type and the CAMEO table are the
facts of ``knowledge/plover.yaml``, read through ``Knowledge``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwire.models import EventType, QuadClass

if TYPE_CHECKING:
    from eventwire.knowledge import Knowledge

__all__ = [
    "QUAD_CLASS_NUMBERS",
    "SYMMETRIC_TYPES",
    "Codebook",
    "EventType",
    "QuadClass",
    "is_symmetric",
    "of",
]

PLOVER_FILE = "plover.yaml"

SYMMETRIC_TYPES: frozenset[EventType] = frozenset(
    {EventType.CONSULT, EventType.AGREE, EventType.COOPERATE}
)
"""Types between equals (meeting, agreeing, cooperating): every party is an actor, and a dyad
filter or a dyad score ignores direction. The same set as the shared scorer
(``shared/eval/score.py``): change both or neither."""

QUAD_CLASS_NUMBERS: dict[QuadClass, int] = {
    QuadClass.VERBAL_COOPERATION: 1,
    QuadClass.MATERIAL_COOPERATION: 2,
    QuadClass.VERBAL_CONFLICT: 3,
    QuadClass.MATERIAL_CONFLICT: 4,
}
"""GDELT's numbering of the quad classes (the ``QuadClass`` column of ``tsv-gdelt``)."""


def is_symmetric(event_type: EventType | str) -> bool:
    """Whether events of this type are between equals (direction carries no meaning)."""
    return EventType(event_type) in SYMMETRIC_TYPES


@dataclass(frozen=True)
class Codebook:
    """Scores, quad classes and the CAMEO table of one ``Knowledge`` (its plover.yaml)."""

    scores: dict[EventType, float]
    mode_scores: dict[EventType, dict[str, float]]
    quads: dict[EventType, QuadClass]
    cameo: dict[str, tuple[EventType, str | None]]

    def score(self, event_type: EventType, mode: str | None = None) -> float:
        """PLOVER conflict/cooperation score of a type, refined by its mode when scored."""
        event_type = EventType(event_type)
        modes = self.mode_scores.get(event_type, {})
        if mode and mode in modes:
            return modes[mode]
        return self.scores[event_type]

    def quad_class(self, event_type: EventType) -> QuadClass:
        """Quad class of a PLOVER type (verbal/material cooperation/conflict)."""
        return self.quads[EventType(event_type)]

    def cameo_to_plover(self, code: str) -> tuple[EventType, str | None] | None:
        """PLOVER type and mode a CAMEO code translates to, if the table has the code."""
        return self.cameo.get(code)

    def plover_to_cameo(self, event_type: EventType, mode: str | None = None) -> str | None:
        """The first CAMEO code of the table that translates to this type (and mode)."""
        for code, (plover_type, plover_mode) in sorted(self.cameo.items()):
            if plover_type == event_type and (mode is None or plover_mode == mode):
                return code
        return None


def _build(knowledge: Knowledge) -> Codebook:
    data = knowledge.yaml(PLOVER_FILE)
    types = {EventType(name): entry for name, entry in data["types"].items()}
    missing = set(EventType) - set(types)
    if missing:
        from eventwire.errors import KnowledgeError

        raise KnowledgeError(f"{PLOVER_FILE}: no entry for {sorted(missing)}")
    return Codebook(
        scores={t: float(e["score"]) for t, e in types.items()},
        mode_scores={
            t: {m: float(v) for m, v in (e.get("modes") or {}).items()} for t, e in types.items()
        },
        quads={t: QuadClass(e["quad"]) for t, e in types.items()},
        cameo={
            str(code): (EventType(row[0]), row[1]) for code, row in (data["cameo"] or {}).items()
        },
    )


def of(knowledge: Knowledge) -> Codebook:
    """The codebook of ``knowledge`` (built once per Knowledge)."""
    return knowledge.derived("codebook", _build)
