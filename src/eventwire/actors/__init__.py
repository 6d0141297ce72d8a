"""Actor mentions: who in the body is a state, person, organisation, group or population.

Finds countries (names, aliases, capitals, seats of government), organisations and armed
groups, named people with the titles the text gives them, role noun phrases ("Russian military
officials", "Hungarian and Romanian officials" -> one actor per country), other noun phrases
a country or role word modifies ("Israeli tanks", "opposition groups"), demonyms used as nouns
("the Chinese"), towns the gazetteer knows, and references back to them (surnames, "the Iranian
diplomat", "he", "the two countries"), and codes each as an ``Entity`` (ISO alpha-3 country,
PLOVER sector). Actors with a sector but no country ("police", "rebels") take the country the
sentence or document is about (see ``context``).

Every word list lives in ``knowledge/`` (countries.csv, government_seats.yaml, sectors.yaml,
organisations.yaml, actor_references.yaml); this package holds only the mechanism. The
lexicon and matchers are built once per Knowledge (and vocabulary). All mentions are
returned, locations included: deciding who acts is the events stage's job.

Modules, in the order ``extract`` runs them: ``lexicon`` and ``tables`` (what the knowledge
names, which tokens it covers), ``people`` and ``titles`` (named people and their offices),
``speakers`` (quoted people), ``candidates`` (every other mention), ``coreference`` (references
back), ``context`` (countries from the sentence or document).
"""

from eventwire.actors.extract import extract_actors
from eventwire.actors.lexicon import lexicon_of

__all__ = ["extract_actors", "lexicon_of"]
