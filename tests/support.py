"""Shared test support (not fixtures): the built-in knowledge, built once per test session."""

from __future__ import annotations

from datetime import date
from functools import cache

from eventwire.knowledge import Knowledge
from eventwire.models import ActorMention, Document, Entity


@cache
def builtin_knowledge() -> Knowledge:
    """The built-in knowledge files, loaded and checked once for the whole session, with the
    trigger rules alone deciding (no learned classifier): rule tests test the rules."""
    return Knowledge(event_model=None)


# --------------------------------------------------------------------------- hand-made mentions
# The one builder of actor mentions for events tests, independent of the actors stage.

# name (lower-case words) -> (country, sector, kind)
GAZETTEER: dict[str, tuple[str | None, str | None, str]] = {
    "iran": ("IRN", "GOV", "state"),
    "tehran": ("IRN", "GOV", "state"),
    "russia": ("RUS", "GOV", "state"),
    "moscow": ("RUS", "GOV", "state"),
    "syria": ("SYR", "GOV", "state"),
    "turkey": ("TUR", "GOV", "state"),
    "ankara": ("TUR", "GOV", "state"),
    "iraq": ("IRQ", "GOV", "state"),
    "china": ("CHN", "GOV", "state"),
    "pakistan": ("PAK", "GOV", "state"),
    "india": ("IND", "GOV", "state"),
    "japan": ("JPN", "GOV", "state"),
    "france": ("FRA", "GOV", "state"),
    "germany": ("DEU", "GOV", "state"),
    "britain": ("GBR", "GOV", "state"),
    "israel": ("ISR", "GOV", "state"),
    "egypt": ("EGY", "GOV", "state"),
    "ukraine": ("UKR", "GOV", "state"),
    "lebanon": ("LBN", "GOV", "state"),
    "greece": ("GRC", "GOV", "state"),
    "canada": ("CAN", "GOV", "state"),
    "nigeria": ("NGA", "GOV", "state"),
    "colombia": ("COL", "GOV", "state"),
    "thailand": ("THA", "GOV", "state"),
    "afghanistan": ("AFG", "GOV", "state"),
    "yemen": ("YEM", "GOV", "state"),
    "gaza": ("PSE", None, "population"),
    "saudi arabia": ("SAU", "GOV", "state"),
    "south sudan": ("SSD", "GOV", "state"),
    "sudan": ("SDN", "GOV", "state"),
    "kenya": ("KEN", "GOV", "state"),
    "nairobi": ("KEN", "GOV", "state"),
    "somalia": ("SOM", "GOV", "state"),
    "uganda": ("UGA", "GOV", "state"),
    "ethiopia": ("ETH", "GOV", "state"),
    "mali": ("MLI", "GOV", "state"),
    "niger": ("NER", "GOV", "state"),
    "togo": ("TGO", "GOV", "state"),
    "ghana": ("GHA", "GOV", "state"),
    "morocco": ("MAR", "GOV", "state"),
    "algeria": ("DZA", "GOV", "state"),
    "qatar": ("QAT", "GOV", "state"),
    "bahrain": ("BHR", "GOV", "state"),
    "kuwait": ("KWT", "GOV", "state"),
    "norway": ("NOR", "GOV", "state"),
    "hungary": ("HUN", "GOV", "state"),
    "guyana": ("GUY", "GOV", "state"),
    "mozambique": ("MOZ", "GOV", "state"),
    "vietnam": ("VNM", "GOV", "state"),
    "haiti": ("HTI", "GOV", "state"),
    "suriname": ("SUR", "GOV", "state"),
    "venezuela": ("VEN", "GOV", "state"),
    "washington": ("USA", "GOV", "state"),
    "kabul": ("AFG", "GOV", "state"),
    "the united nations": (None, "IGO", "organisation"),
    "the african union": (None, "IGO", "organisation"),
    "the arab league": (None, "IGO", "organisation"),
    "poland": ("POL", "GOV", "state"),
    "cyprus": ("CYP", "GOV", "state"),
    "burundi": ("BDI", "GOV", "state"),
    "sri lanka": ("LKA", "GOV", "state"),
    "the united states": ("USA", "GOV", "state"),
    "the european union": (None, "IGO", "organisation"),
    "hamas": ("PSE", "REB", "group"),
    "the pkk": ("TUR", "REB", "group"),
}
DEMONYMS = {
    "iranian": "IRN",
    "russian": "RUS",
    "turkish": "TUR",
    "syrian": "SYR",
    "iraqi": "IRQ",
    "egyptian": "EGY",
    "chinese": "CHN",
    "israeli": "ISR",
    "arab": None,
    "kurdish": None,
    "kenyan": "KEN",
    "ugandan": "UGA",
    "malian": "MLI",
    "norwegian": "NOR",
    "dutch": "NLD",
    "canadian": "CAN",
    "indian": "IND",
    "thai": "THA",
    "italian": "ITA",
    "swiss": "CHE",
}
# people and groups named by a common noun -> sector
GROUP_NOUNS = {
    "protester": "CVL",
    "police": "COP",
    "rebel": "REB",
    "gunman": "REB",
    "worker": "LAB",
    "prisoner": "CVL",
    "militant": "REB",
    "journalist": "MED",
    "migrant": "REF",
    "soldier": "MIL",
    "activist": "ACT",
    "citizen": "CVL",
    "sailor": "MIL",
    "inspector": "IGO",
    "party": "OPP",
    "suspect": "CRM",
    "commander": "REB",
    "diplomat": "GOV",
    "palestinians": "CVL",
    "state": "GOV",
    "minister": "GOV",
    "president": "GOV",
    "counterpart": "GOV",
    "official": "GOV",
    "ambassador": "GOV",
    "troops": "MIL",
    "jet": "MIL",
    "union": "LAB",
    "farmer": "AGR",
    "student": "EDU",
    "teacher": "EDU",
    "doctor": "MED",
    "opposition": "OPP",
    "junta": "MIL",
    "army": "MIL",
    "government": "GOV",
    "authorities": "GOV",
    "envoy": "GOV",
    "leader": "GOV",
    "court": "JUD",
}


def _mention(doc, start: int, end: int, head: int, entity: Entity) -> ActorMention:
    sentence = next(i for i, s in enumerate(doc.sents) if s.start <= start < s.end)
    return ActorMention(
        entity=entity, sentence=sentence, token_start=start, token_end=end, head=head
    )


def mention_for(parsed, text: str, entity: Entity, occurrence: int = 0) -> ActorMention:
    """A mention of ``entity`` over the tokens spelling ``text`` (its n-th occurrence)."""
    doc = parsed.doc
    words = text.split()
    hits = [
        i
        for i in range(len(doc) - len(words) + 1)
        if [t.text for t in doc[i : i + len(words)]] == words
    ]
    start = hits[occurrence]
    span = doc[start : start + len(words)]
    return _mention(doc, span.start, span.end, span.root.i, entity)


def auto_mentions(parsed) -> list[ActorMention]:
    """Mentions from the test gazetteer: names, demonym + noun phrases, group nouns."""
    doc = parsed.doc
    out: list[ActorMention] = []
    covered: set[int] = set()
    names = sorted(GAZETTEER, key=lambda n: -len(n.split()))
    for i in range(len(doc)):
        if i in covered:
            continue
        for name in names:
            n = len(name.split())
            if " ".join(t.lower_ for t in doc[i : i + n]) == name:
                country, sector, kind = GAZETTEER[name]
                span = doc[i : i + n]
                entity = Entity(text=span.text, country=country, sector=sector, kind=kind)
                out.append(_mention(doc, i, i + n, span.root.i, entity))
                covered.update(range(i, i + n))
                break
    for tok in doc:
        if tok.i in covered:
            continue
        if tok.lower_ in DEMONYMS and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i:
            head = tok.head
            start = (
                min(t.i for t in head.subtree if t.i <= tok.i and t.dep_ == "det")
                if any(t.dep_ == "det" for t in head.children)
                else tok.i
            )
            entity = Entity(
                text=doc[start : head.i + 1].text,
                country=DEMONYMS[tok.lower_],
                sector=GROUP_NOUNS.get(head.lemma_.lower(), "GOV"),
                kind="person",
            )
            out.append(_mention(doc, start, head.i + 1, head.i, entity))
            covered.update(range(start, head.i + 1))
    for tok in doc:
        lemma = tok.lemma_.lower()
        key = lemma if lemma in GROUP_NOUNS else tok.lower_
        if tok.i in covered or key not in GROUP_NOUNS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        entity = Entity(text=tok.text, sector=GROUP_NOUNS[key], kind="group")
        out.append(_mention(doc, tok.i, tok.i + 1, tok.i, entity))
    return out


def news_documents(texts: list[str], prefix: str) -> list[Document]:
    """One dated test document per text; one starting "Der " is German (stored, not coded)."""
    return [
        Document(
            id=f"{prefix}{i}",
            source="TEST",
            published=date(2021, 3, 1 + i % 28),
            title=None,
            body=text,
            language="de" if text.startswith("Der ") else "en",
        )
        for i, text in enumerate(texts)
    ]
