"""Events stage: find PLOVER events from predicates and their arguments in the parse.

A trigger (a verb, a light verb with its object noun, a noun or an adjective listed in
``knowledge/triggers.yaml``) gives the event type, mode and CAMEO code; the syntax around it
gives who acts (subject, passive agent) and whom it is directed at (object, ``with``/``to``/
``against`` phrases as the trigger entry says). Actor mentions come from the actors stage;
this stage only decides which of them fill which role. Negated, hypothetical and background
events are dropped; reported speech is attributed as PLOVER asks.

Per sentence, in order (``extract``):

1. ``candidates.find_candidates``: rule matches (``rules``, ``matching``, ``syntax``) through the
   clause checks (``clauses``), with their arguments (``arguments``);
2. ``assembly.assemble``: pledges and threats, speakers, conventional recipients, events from
   constructions (``constructions``), repeats merged, records with confidence (``records``,
   ``confidence``).

Then, over the whole document, ``classify.classify``: the learned sentence classifier
(``model``, ONNX) keeps, re-types or drops each rule event and adds the events no rule found,
with arguments from the sentence's main predicate (``generic``).
"""

from eventwire.events.assembly import assemble
from eventwire.events.candidates import find_candidates
from eventwire.events.classify import classify
from eventwire.events.confidence import confidence_features, feature_reliability
from eventwire.events.extract import extract_events
from eventwire.events.rules import TriggerRule, rules_of, trigger_rules
from eventwire.models import EventType

__all__ = [
    "EventType",
    "TriggerRule",
    "assemble",
    "classify",
    "confidence_features",
    "extract_events",
    "feature_reliability",
    "find_candidates",
    "rules_of",
    "trigger_rules",
]
