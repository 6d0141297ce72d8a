"""Groups that became a state's government (the Taliban in Afghanistan since August 2021):
from that day on, news about them is news about the state's government."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from eventwire.actors.lexicon import _Lexicon
from eventwire.models import ActorMention


def with_governments(
    mentions: Sequence[ActorMention], lex: _Lexicon, published: date | None
) -> list[ActorMention]:
    """Mentions of a governing group (and of its people) carry its state: the group itself
    becomes that state's government, its people keep their own sector (a commander stays MIL).
    Undated documents are read as the group's armed-group years: no date, no change."""
    if published is None or not lex.governing:
        return list(mentions)
    out = []
    for m in mentions:
        entity = m.entity
        ruling = lex.governing.get(entity.org or "")
        if ruling is not None and published >= ruling.since:
            own = entity.sector in (None, ruling.own_sector)
            sector = ruling.sector if own else entity.sector
            entity = entity.model_copy(update={"country": ruling.country, "sector": sector})
            m = m.model_copy(update={"entity": entity})
        out.append(m)
    return out
