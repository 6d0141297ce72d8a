"""Tune the classify step's thresholds on the dev split and write them into the model's file.

The rules run once; the model's probabilities are cached per document; each policy of the grid
is scored with eventwire's own scorer. Only the dev split is read: the frozen test split and the
GSR stay out of every fitted choice.

    python -m eventwire.training.tune --corpus corpus --shared ../shared [--write]
    python -m eventwire.training.tune --variants FILE

``--variants`` scores named policies (JSON: name -> Policy fields; optionally "model": another
model folder, "role_thresholds": [actor, recipient]) on the same parses, each with its bootstrap
interval over documents and, for every variant after the first, the paired interval of its
difference from the first: a change smaller than that interval is not shown to be one.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eventwire import actors, codebook, dates, nlp, places
from eventwire.evaluate.gold import GoldDocument, GoldEntity, GoldEvent
from eventwire.evaluate.intervals import ROUNDS, paired_difference
from eventwire.evaluate.records import DocumentCounts, EvaluationReport
from eventwire.evaluate.scoring import score
from eventwire.events.classify import classify
from eventwire.events.extract import extract_events
from eventwire.events.model import MODEL_DIR, EventTypeModel, Policy
from eventwire.events.role_model import load_roles
from eventwire.events.roles import Roles
from eventwire.events.rules import rules_of
from eventwire.knowledge import Knowledge
from eventwire.models import Document, Event
from eventwire.settings import Settings
from eventwire.training.corpus import Article, published_dates, read_articles

log = logging.getLogger(__name__)


class _Remembering(EventTypeModel):
    """The model with its answers kept: every policy of the grid reads the same sentences."""

    memo: dict[str, np.ndarray]

    def predict(self, sentences: Sequence[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self.memo]
        if missing:
            self.memo.update(zip(missing, super().predict(missing), strict=True))
        rows = [self.memo[s] for s in sentences]
        return np.stack(rows) if rows else super().predict([])


GOLD_EVENT_KEYS = ("type", "alt_types", "mode", "date", "date_range", "location", "background")


def gold_document(article: Article, published: str) -> GoldDocument:
    """A corpus article as the scorer's gold (repeat copies are optional, like background)."""
    events = []
    for e in article.events:
        fields = {k: e.get(k) for k in GOLD_EVENT_KEYS if e.get(k) is not None}
        fields["mode"] = e.get("mode") or None
        fields["background"] = bool(e.get("background") or e.get("repeat"))
        sides = {
            role: [
                GoldEntity(country=x.get("country"), sector=x.get("sector") or None)
                for x in e.get(role) or []
            ]
            for role in ("actor", "recipient")
        }
        evidence = article.text[e["evidence_start"] : e["evidence_end"]]
        events.append(GoldEvent(**fields, **sides, evidence=evidence))
    return GoldDocument(id=article.id, date=published[:10], text=article.text, events=events)


def by_collection(
    gold: Sequence[GoldDocument],
    predicted: dict[str, list[Event]],
    spans: dict[str, list[tuple[int, int]]],
    collection_of: Mapping[str, str],
) -> dict[str, tuple[float, float]]:
    """Type and dyad F1 per collection: dev mixes VOA and Guardian, and a change can help one
    and hurt the other (session 6: more Guardian training data cost VOA type F1)."""
    out = {}
    for collection in sorted({collection_of[d.id] for d in gold}):
        part = [d for d in gold if collection_of[d.id] == collection]
        sub = score(part, {d.id: predicted[d.id] for d in part}, sentences=spans)
        out[collection] = (round(sub.type_scores.f1, 4), round(sub.dyad_scores.f1, 4))
    return out


_VARIANT_KEYS = frozenset(f.name for f in dataclasses.fields(Policy)) | {"model", "role_thresholds"}


def read_variants(path: Path) -> dict[str, dict[str, Any]]:
    """The named policies of a ``--variants`` file, checked before any parsing starts (a
    mistake found after the corpus is coded costs minutes)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the variants: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise ValueError(
            f'{path}: expected an object of named policies, {{"name": {{"add": 0.7}}}}'
        )
    for name, fields in data.items():
        if not isinstance(fields, dict):
            raise ValueError(f"{path}: variant {name!r} is not an object of policy fields")
        unknown = sorted(set(fields) - _VARIANT_KEYS)
        if unknown:
            raise ValueError(
                f"{path}: variant {name!r} has unknown fields {unknown}; "
                f"known: {sorted(_VARIANT_KEYS)}"
            )
    return data


def _measure_variants(
    variants: Mapping[str, Mapping[str, Any]],
    figures: Callable[..., dict[str, Any]],
    model: EventTypeModel,
    base_roles: Roles | None,
    counts: Mapping[str, list[DocumentCounts]],
) -> None:
    """Score each named policy (optionally with another model folder) and compare it, paired
    over documents, with the first."""
    first: str | None = None
    for name, given in variants.items():
        fields = dict(given)
        reader, roles = model, base_roles
        folder = fields.pop("model", None)
        if folder is not None:
            reader = _Remembering(Path(folder))
            reader.memo = {}
            roles = load_roles(Path(folder))
        pair = fields.pop("role_thresholds", None)
        if pair is not None and roles is not None:
            roles = roles.with_thresholds(*pair)
        found = figures(Policy(**fields), roles, by_source=True, reader=reader, name=name)
        log.info("%s %s %s %s: %s", name, folder or "", fields, pair, found)
        if first is None:
            first = name
        else:
            gap = paired_difference(counts[first], counts[name])
            log.info(
                "  %s minus %s, 95%% interval over documents: %s",
                name,
                first,
                {k: (i.low, i.high) for k, i in gap.items()},
            )


def per_sentence(report: EvaluationReport) -> dict[str, str]:
    """The report's per-sentence readings: F1 with only the matches that share their sentence
    (the reference F1 also credits matches across sentences), and the per-sentence counts that
    tell party errors from type errors, which F1 mixes."""
    readings = report.sentence_readings
    out: dict[str, str] = {}
    if report.type_in_sentence is not None and report.dyad_in_sentence is not None:
        out["in_sentence_f1"] = (
            f"{report.type_in_sentence.f1:.4f} / {report.dyad_in_sentence.f1:.4f}"
        )
    if readings is not None:
        out |= {"top_type": readings.top_type.counts(), "pair_found": readings.pair_found.counts()}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--model", type=Path, default=MODEL_DIR)
    parser.add_argument("--write", action="store_true", help="store the best policy with the model")
    parser.add_argument("--variants", type=Path, help="only measure these policies (JSON file)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        variants = read_variants(args.variants) if args.variants is not None else None
    except ValueError as exc:
        parser.error(str(exc))

    settings = Settings()
    rules_only = Knowledge.from_settings(settings.model_copy(update={"event_model": "off"}))
    kb = rules_of(rules_only)
    book = codebook.of(rules_only)
    model = _Remembering(args.model)
    model.memo = {}
    published = published_dates(args.shared)
    articles = read_articles(args.corpus, args.shared, ["dev"])
    gold = [gold_document(a, published[a.id]) for a in articles]
    collection_of = {a.id: a.collection for a in articles}
    documents = [Document(id=a.id, published=published[a.id][:10], body=a.text) for a in articles]
    pipeline = nlp.load_pipeline(settings.model)
    cached = []
    for parsed in nlp.parse_many(documents, pipeline):
        mentions = actors.extract_actors(parsed, knowledge=rules_only)
        rules = extract_events(parsed, mentions, knowledge=rules_only)
        cached.append((parsed, mentions, rules))

    scorer_path = next(
        (p for p in (args.model / "roles_model.json", args.model / "roles.json") if p.is_file()),
        args.model / "roles.json",
    )
    base_roles = load_roles(args.model)

    def run(
        policy: Policy | None, roles: Roles | None = None, reader: EventTypeModel = model
    ) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {}
        for parsed, mentions, rules in cached:
            cands = rules
            if policy is not None:
                m = reader.with_policy(policy)
                cands = classify(
                    parsed, mentions, rules, knowledge=rules_only, kb=kb, model=m, roles=roles
                )
            when = dates.resolve_dates(cands, parsed.document.published_date, knowledge=rules_only)
            where = places.resolve_places(cands, knowledge=rules_only)
            out[parsed.document.id] = [
                Event.from_candidate(
                    c,
                    parsed.document,
                    w,
                    p,
                    plover_score=book.score(c.type, c.mode),
                    quad_class=book.quad_class(c.type),
                )
                for c, w, p in zip(cands, when, where, strict=True)
            ]
        return out

    spans = {
        parsed.document.id: [(s.start_char, s.end_char) for s in parsed.doc.sents]
        for parsed, _, _ in cached
    }

    counts: dict[str, list[DocumentCounts]] = {}

    def figures(
        policy: Policy | None,
        roles: Roles | None = None,
        *,
        by_source: bool = False,
        reader: EventTypeModel = model,
        name: str | None = None,
    ) -> dict[str, Any]:
        predicted = run(policy, roles, reader)
        report = score(gold, predicted, sentences=spans, bootstrap=ROUNDS if by_source else 0)
        empty = report.no_event_sentences
        out: dict[str, Any] = {
            "type_f1": round(report.type_scores.f1, 4),
            "dyad_f1": round(report.dyad_scores.f1, 4),
            "no_event_sentences_empty": round(empty.share or 0.0, 4) if empty else 0.0,
        }
        if by_source:
            out["intervals"] = {k: (i.low, i.high) for k, i in report.intervals.items()}
            out["per_sentence"] = per_sentence(report)
            out.update(by_collection(gold, predicted, spans, collection_of))
        if name is not None:
            counts[name] = report.document_counts
        return out

    def total(fig: dict[str, Any]) -> float:
        return fig["type_f1"] + fig["dyad_f1"]

    rules_only_dev = figures(None)
    log.info("rules only: %s", rules_only_dev)
    if variants is not None:
        # measure named policies (JSON: name -> Policy fields, and optionally
        # "role_thresholds": [actor, recipient] for the role reader)
        _measure_variants(variants, figures, model, base_roles, counts)
        return
    # coordinate search: classify thresholds, then role thresholds, then classify again
    policies = [
        Policy(keep=k, retype=r, add=a)
        for k, r, a in itertools.product(
            [0.2, 0.3, 0.4, 0.5], [0.5, 0.6, 0.7, 1.01], [0.6, 0.7, 0.8, 0.9, 1.01]
        )
    ]
    policy = max(policies, key=lambda p: total(figures(p)))
    log.info("classify %s: %s", policy, figures(policy))
    roles = None
    if base_roles is not None:
        grid = [
            base_roles.with_thresholds(a, r)
            for a in (0.3, 0.4, 0.5, 0.6)
            for r in (0.3, 0.4, 0.5, 0.6)
        ]
        roles = max(grid, key=lambda s: total(figures(policy, s)))
        log.info("roles %s: %s", roles.thresholds, figures(policy, roles))
        policy = max(policies, key=lambda p: total(figures(p, roles)))
    best = figures(policy, roles)
    log.info("final %s roles %s: %s", policy, roles and roles.thresholds, best)
    if args.write:
        meta_path = args.model / "event_types.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        # every field: the switches the grid does not search keep the values it ran with
        meta["policy"] = dataclasses.asdict(policy)
        meta["policy_dev"] = best
        meta["rules_only_dev"] = rules_only_dev
        meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        if roles is not None:
            record = json.loads(scorer_path.read_text(encoding="utf-8"))
            record["thresholds"] = roles.thresholds
            scorer_path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        log.info("wrote the policy to %s", args.model)


if __name__ == "__main__":
    main()
