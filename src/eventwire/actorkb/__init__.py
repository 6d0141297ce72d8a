"""Who held which office when: the built-in actor knowledge base of named people.

A news sentence says "Lavrov" or "Erdoğan"; coding it needs the country and sector that person
stood for *on the event's date* (Erdoğan was Turkey's prime minister, then its president; a
former minister is no longer GOV). The facts live in ``knowledge/people_*.yaml``; this package
indexes them once per Knowledge and answers lookups by name and date.

Modules: ``people`` (the files' people, the index, ``lookup_person``), ``layers`` (the
``ActorKnowledge`` snapshot a run codes with: user edits, files, imports, corpus memory),
``operations`` (imports, edits and forgetting, written to the store).
"""

from __future__ import annotations

from eventwire.actorkb.layers import LAYER_ORDER, LEARNED_MARGIN_DAYS, ActorKnowledge, Resolution
from eventwire.actorkb.operations import (
    ImportReport,
    add_user_role,
    agent_records,
    forget_name,
    import_dictionary,
    imported_records,
    roles_from_imported,
)
from eventwire.actorkb.people import (
    PEOPLE_FILES,
    Person,
    PersonRole,
    describe_role,
    file_layers,
    index_of,
    kb_stats,
    known_only_as_surname,
    load_people,
    lookup_person,
    normalize_name,
    parse_kb_date,
    person_roles,
    took_office_by,
)

__all__ = [
    "LAYER_ORDER",
    "LEARNED_MARGIN_DAYS",
    "PEOPLE_FILES",
    "ActorKnowledge",
    "ImportReport",
    "Person",
    "PersonRole",
    "Resolution",
    "add_user_role",
    "agent_records",
    "describe_role",
    "file_layers",
    "forget_name",
    "import_dictionary",
    "imported_records",
    "index_of",
    "kb_stats",
    "known_only_as_surname",
    "load_people",
    "lookup_person",
    "normalize_name",
    "parse_kb_date",
    "person_roles",
    "roles_from_imported",
    "took_office_by",
]
