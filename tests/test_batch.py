"""batch: parallel coding gives the same results as one process, loses no document, stays bounded.

The scheduling loop is tested with a thread pool and stand-in tasks (fast); the real workers
(a local Dask cluster, a process pool) are tested once each against single-process coding.
"""

from __future__ import annotations

import json
import os
import pickle
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import BrokenExecutor, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from eventwire.batch import BatchError, BatchSummary, backends, code_in_parallel, ingest_files, run
from eventwire.batch.backends import _PoolBackend
from eventwire.batch.run import _chunks, _run
from eventwire.batch.worker import _chunk_task, _code_chunk
from eventwire.errors import ModelNotFoundError
from eventwire.models import CodedDocument, Document
from eventwire.pipeline import code_documents
from eventwire.settings import Settings
from eventwire.store import MEMORY, Store
from support import builtin_knowledge, news_documents

NEWS = [
    "The Turkish foreign minister met his Greek counterpart in Athens on Tuesday.",
    "Police in Kenya arrested twelve opposition supporters in Nairobi on Friday.",
    "The European Union imposed new sanctions on Belarus on Monday.",
    "Iran accused the United States of violating the nuclear agreement.",
    "Russian troops shelled villages in eastern Ukraine overnight, officials said.",
    "China and Pakistan signed an agreement on a new railway line.",
    "Thousands of protesters marched against the government in Caracas on Sunday.",
    "The Indian prime minister visited Japan to discuss trade and security.",
    "Germany pledged 50 million euros in humanitarian aid to Syria.",
    "North Korea threatened to retaliate against South Korea over military drills.",
    "The United Nations called on Myanmar to release detained journalists.",
    "Egyptian security forces killed five militants in northern Sinai.",
    "France withdrew its ambassador from Italy after a diplomatic row.",
    "Saudi Arabia rejected a proposal by Qatar to end the blockade.",
    "Nigerian soldiers rescued forty hostages held by Boko Haram.",
    "The Brazilian president met the Argentine president in Buenos Aires.",
    "Rebels attacked a military base in the Central African Republic.",
    "Israel and Jordan agreed to cooperate on water supplies.",
    "The Afghan government released two hundred Taliban prisoners.",
    "Students in Hong Kong protested against a new security law.",
    "Mexico deployed troops to its southern border on Thursday.",
    "The Iraqi foreign minister criticised Turkey for air strikes in the north.",
    "Canada imposed sanctions on Venezuelan officials.",
    "Ethiopia and Eritrea signed a peace agreement in Jeddah.",
    "Police in Paris used tear gas against demonstrators on Saturday.",
    "Australia will send military advisers to train the Philippine army.",
    "The Sudanese army arrested opposition leaders in Khartoum.",
    "Britain expelled twenty-three Russian diplomats on Wednesday.",
    "Rain is expected across the region later this week.",
    "Der Außenminister traf gestern seinen Amtskollegen in Berlin.",
]


def _documents() -> list[Document]:
    return news_documents(NEWS, "n")


def _doc(i: int) -> Document:
    return Document(id=f"d{i}", body=f"text {i}", language="en")


# --------------------------------------------------------------------------- stand-in tasks


def _mark_coded(documents: Sequence[Document]) -> list[CodedDocument]:
    return [CodedDocument(document=d, message="coded by stand-in") for d in documents]


def _fail_on_bad(documents: Sequence[Document]) -> list[CodedDocument]:
    if any(d.id == "bad" for d in documents):
        raise RuntimeError("stand-in crash")
    return _mark_coded(documents)


def _break_pool_on_bad(documents: Sequence[Document]) -> list[CodedDocument]:
    if any(d.id == "bad" for d in documents):
        raise BrokenExecutor("a process died")  # what a crashed pool reports for every chunk
    return _mark_coded(documents)


def _exit_on_bad(documents: Sequence[Document]) -> list[CodedDocument]:
    """Runs in a real worker process: dies like a segfaulting extension would."""
    if any(d.id == "bad" for d in documents):
        os._exit(3)
    return _mark_coded(documents)


def _thread_backend(task, slots: int = 2) -> _PoolBackend:
    return _PoolBackend(lambda: ThreadPoolExecutor(max_workers=2), task, slots=slots)


def _run_all(documents: list[Document], backend: _PoolBackend, **kwargs) -> list[CodedDocument]:
    try:
        return list(
            _run(_chunks(documents, kwargs.pop("size", 3)), backend, max_buffered=64, **kwargs)
        )
    finally:
        backend.shutdown()


# --------------------------------------------------------------------------- unit tests


def test_chunks_are_cut_lazily_from_an_endless_feed() -> None:
    pulled = 0

    def endless() -> Iterator[Document]:
        nonlocal pulled
        while True:
            pulled += 1
            yield _doc(pulled)

    chunks = _chunks(endless(), 4)
    first, second = next(chunks), next(chunks)
    assert (first.start, second.start) == (0, 4)
    assert [d.id for d in second.documents] == ["d5", "d6", "d7", "d8"]
    assert pulled == 8


def test_documents_in_flight_stay_bounded() -> None:
    pulled = 0

    def feed() -> Iterator[Document]:
        nonlocal pulled
        for i in range(200):
            pulled += 1
            yield _doc(i)

    backend = _thread_backend(_mark_coded, slots=3)
    seen = 0
    try:
        for _ in _run(_chunks(feed(), 5), backend, ordered=False, max_buffered=15):
            seen += 1
            assert pulled - seen <= 3 * 5 + 5  # slots x chunk size, plus the chunk being cut
    finally:
        backend.shutdown()
    assert seen == 200


@pytest.mark.parametrize("ordered", [True, False])
def test_every_document_comes_back_once_and_ordered_keeps_input_order(ordered: bool) -> None:
    def slow_first(documents: Sequence[Document]) -> list[CodedDocument]:
        time.sleep(0.05 if documents[0].id == "d0" else 0.0)  # first chunk finishes last
        return _mark_coded(documents)

    documents = [_doc(i) for i in range(20)]
    results = _run_all(documents, _thread_backend(slow_first), ordered=ordered)
    ids = [r.document.id for r in results]
    assert sorted(ids) == sorted(d.id for d in documents)
    if ordered:
        assert ids == [d.id for d in documents]
    else:
        assert ids[0] != "d0"


@pytest.mark.parametrize("task", [_fail_on_bad, _break_pool_on_bad])
def test_only_the_document_that_breaks_its_chunk_fails(task) -> None:
    documents = [_doc(i) for i in range(10)]
    documents[4] = Document(id="bad", body="x", language="en")
    results = _run_all(documents, _thread_backend(task), ordered=True)
    assert [r.document.id for r in results] == [d.id for d in documents]
    by_id = {r.document.id: r for r in results}
    assert by_id["bad"].status == "failed"
    assert "worker lost it" in (by_id["bad"].message or "")
    assert all(r.status == "coded" for i, r in by_id.items() if i != "bad")


def test_a_configuration_error_stops_the_run() -> None:
    def no_model(documents: Sequence[Document]) -> list[CodedDocument]:
        raise ModelNotFoundError("spaCy pipeline 'nope' is not installed")

    with pytest.raises(ModelNotFoundError, match="nope"):
        _run_all([_doc(i) for i in range(6)], _thread_backend(no_model), ordered=False)


def test_a_worker_returning_too_few_results_is_an_error() -> None:
    def short(documents: Sequence[Document]) -> list[CodedDocument]:
        return _mark_coded(documents[:-1])

    with pytest.raises(BatchError, match="results for"):
        _run_all([_doc(i) for i in range(4)], _thread_backend(short), ordered=False)


def test_chunks_failed_by_a_pool_crash_beside_them_are_rerun_alone() -> None:
    lock = threading.Lock()
    active: set[int] = set()
    doomed: set[int] = set()
    crashes: list[int] = []
    alone_runs: list[int] = []

    def crash_together(documents: Sequence[Document]) -> list[CodedDocument]:
        # Like a crashed process pool: chunks that overlap all fail; a chunk run alone succeeds.
        token = threading.get_ident() ^ id(documents)
        with lock:
            active.add(token)
            if len(active) > 1:
                doomed.update(active)
        time.sleep(0.02)
        with lock:
            active.discard(token)
            if token in doomed:
                doomed.discard(token)
                crashes.append(len(documents))
                raise BrokenExecutor("pool crashed")
        alone_runs.append(len(documents))
        return _mark_coded(documents)

    documents = [_doc(i) for i in range(12)]
    results = _run_all(documents, _thread_backend(crash_together), ordered=True)
    assert [r.document.id for r in results] == [d.id for d in documents]
    assert [r.status for r in results] == ["coded"] * 12
    assert crashes  # chunks did run side by side and were failed together
    assert sum(alone_runs) == 12
    assert set(alone_runs) == {3}  # rerun alone, whole: no chunk needed splitting


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"workers": 0}, "workers"),
        ({"chunk_size": 0}, "chunk_size"),
        ({"scheduler": "proceses"}, "scheduler"),
    ],
)
def test_bad_arguments_are_refused_before_anything_starts(kwargs: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        code_in_parallel([_doc(0)], builtin_knowledge(), Settings(), **kwargs)


def test_a_cluster_address_without_dask_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backends, "_have_dask", lambda: False)
    with pytest.raises(BatchError, match=r"pip install 'eventwire\[dask\]'"):
        list(
            code_in_parallel(
                [_doc(0)], builtin_knowledge(), Settings(), scheduler="tcp://127.0.0.1:8786"
            )
        )


def test_empty_input_starts_no_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a backend was started for no documents")

    monkeypatch.setattr(run, "_open_backend", refuse)
    assert list(code_in_parallel([], builtin_knowledge(), Settings())) == []


def test_the_worker_task_ships_names_not_a_model() -> None:
    payload = pickle.dumps(_chunk_task(Settings()))
    assert len(payload) < 4096  # a loaded spaCy pipeline is tens of megabytes


def test_a_worker_codes_with_the_knowledge_it_was_sent_and_no_other() -> None:
    skipped = [Document(id="e", body="   ")]  # skipped: no model is loaded
    assert [c.status for c in _code_chunk(skipped, Settings(), builtin_knowledge())] == ["skipped"]
    with pytest.raises(BatchError, match="without the run's knowledge"):
        _code_chunk(skipped, Settings())  # a pool worker whose initializer did not run


def test_summary_counts_documents_and_says_whether_all_went_well() -> None:
    summary = BatchSummary(coded=3, skipped=1, failed=0, read_failures=1, events=7)
    assert summary.documents == 4
    assert not summary.ok
    assert BatchSummary(coded=2).ok


# --------------------------------------------------------------------------- real workers


@pytest.mark.slow
def test_a_worker_process_that_dies_loses_only_its_own_document() -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    backend = _PoolBackend(
        lambda: ProcessPoolExecutor(max_workers=2, mp_context=context), _exit_on_bad, slots=4
    )
    documents = [_doc(i) for i in range(12)]
    documents[7] = Document(id="bad", body="x", language="en")
    results = _run_all(documents, backend, ordered=False, size=4)
    by_id = {r.document.id: r for r in results}
    assert len(results) == len(by_id) == 12
    assert by_id["bad"].status == "failed"
    assert "BrokenProcessPool" in (by_id["bad"].message or "")
    assert all(r.status == "coded" for i, r in by_id.items() if i != "bad")


@pytest.mark.slow
def test_dask_workers_give_exactly_the_single_process_results() -> None:
    pytest.importorskip("distributed")
    documents = _documents()
    settings = Settings()
    expected = code_documents(documents, builtin_knowledge(), settings)
    got = list(code_in_parallel(documents, builtin_knowledge(), settings, workers=2, chunk_size=4))
    assert len(got) == len(documents)
    assert sum(len(c.events) for c in expected) >= 15  # the comparison below means something
    as_dict = {c.document.key: c.model_dump() for c in got}
    assert as_dict == {c.document.key: c.model_dump() for c in expected}
    assert {c.status for c in got} == {"coded", "skipped"}


@pytest.mark.slow
def test_ingest_files_on_processes_stores_what_a_single_process_run_stores(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": d.id, "source": d.source, "date": str(d.published), "text": d.body})
        for d in _documents()[:8]
    ]
    lines.insert(3, "{not json")
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(detect_language=False)
    seen: list[str] = []
    with Store.open(MEMORY) as store:
        summary = ingest_files(
            [feed],
            builtin_knowledge(),
            settings,
            store,
            workers=2,
            scheduler="processes",
            chunk_size=3,
            on_result=lambda result: seen.append(result.document.id),
        )
        stored = store.events()
        again = ingest_files(
            [feed], builtin_knowledge(), settings, store, resume=True, scheduler="processes"
        )
    assert seen == [f"n{i}" for i in range(8)]  # saved in input order
    assert (summary.coded, summary.failed, summary.read_failures) == (8, 0, 1)
    assert summary.events == len(stored) > 0
    assert (again.documents, again.already_stored) == (0, 8)
    from eventwire.ingest import read_documents

    single = code_documents(
        [d for d in read_documents(feed, settings=settings) if isinstance(d, Document)],
        builtin_knowledge(),
        settings,
    )
    with Store.open(MEMORY) as reference:
        for result in single:
            reference.save(result)
        assert [e.model_dump() for e in stored] == [e.model_dump() for e in reference.events()]


@pytest.mark.slow
def test_a_running_cluster_is_used_by_address_after_its_workers_are_checked() -> None:
    distributed = pytest.importorskip("distributed")
    LocalCluster = distributed.LocalCluster

    skipped = [Document(id=f"de{i}", body="Ein Text.", language="de") for i in range(5)]
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        address = cluster.scheduler_address
        got = list(
            code_in_parallel(
                skipped, builtin_knowledge(), Settings(), scheduler=address, chunk_size=2
            )
        )
        assert sorted(c.document.id for c in got) == [d.id for d in skipped]
        assert {c.status for c in got} == {"skipped"}
        with pytest.raises(BatchError, match="not installed on worker"):
            list(
                code_in_parallel(
                    skipped,
                    builtin_knowledge(),
                    Settings(model="no_such_model_xyz"),
                    scheduler=address,
                )
            )


@pytest.mark.slow
def test_actor_knowledge_snapshot_reaches_the_workers() -> None:
    """A user's correction in the store codes the same on worker processes as in the driver."""
    from eventwire.actorkb import ActorKnowledge, add_user_role

    with Store.open(MEMORY) as store:
        add_user_role(store, "Ilse Brandvik", title="Foreign Minister", country="NOR", sector="GOV")
        kb = ActorKnowledge.from_store(store, builtin_knowledge())
    documents = [
        Document(
            id="kb1",
            published=date(2019, 3, 4),
            language="en",
            body="Ilse Brandvik met Swedish officials in Stockholm on Monday to discuss fishing.",
        )
    ]
    settings = Settings()
    knowledge = builtin_knowledge().with_actors(kb)
    local = code_documents(documents, knowledge, settings)
    remote = list(
        code_in_parallel(documents, knowledge, settings, workers=1, scheduler="processes")
    )
    assert remote == local
    actors = {(a.text, a.country) for e in remote[0].events for a in e.actor}
    assert ("Ilse Brandvik", "NOR") in actors
    plain = code_documents(documents, builtin_knowledge(), settings)
    assert ("Ilse Brandvik", "NOR") not in {
        (a.text, a.country) for e in plain[0].events for a in e.actor
    }
