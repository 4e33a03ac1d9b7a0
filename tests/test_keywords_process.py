"""Keyword extraction in a child process: same answer, cache first, provisional, cancellable."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from parser import keywords_process
from parser.keywords import KeywordInput, extract_keywords
from parser.keywords_process import (
    Done,
    Failed,
    KeywordJob,
    Partial,
    Progress,
    service_process,
)
from tests.factories import transcript
from tests.keyword_fixtures import cache_home, keyword_cache, own_keyword_process  # noqa: F401

ROWS = [
    ("narration", "颱風「海鷗」今天清晨在屏東登陸，颱風帶來的豪雨讓屏東多處淹水。"),
    ("s1", "颱風強度持續減弱，但豪雨特報仍未解除，屏東山區要防範土石流。"),
    ("s2", "縣政府宣布停班停課，颱風過後再檢查堤防，豪雨損失會盡快補助。"),
]


def _data(rows=ROWS) -> KeywordInput:
    return KeywordInput.from_transcript(transcript(rows))


def test_child_process_gives_the_same_result_as_in_process():
    data = _data()
    events = list(KeywordJob(use_cache=False).events(data))
    assert isinstance(events[-1], Done) and not events[-1].cached
    assert any(isinstance(e, Progress) for e in events)
    assert events[-1].result == extract_keywords(data, use_cache=False)


def test_second_run_comes_from_the_cache_without_a_process():
    data = _data(ROWS[:2])
    first = list(KeywordJob().events(data))[-1]
    assert isinstance(first, Done) and not first.cached
    job = KeywordJob()
    second = list(job.events(data))
    assert len(second) == 1 and second[0].cached and second[0].result == first.result
    assert job._request_id is None  # the keyword process was not asked


def test_large_transcript_shows_the_visible_segments_first():
    rows = ROWS * 20
    events = list(KeywordJob(use_cache=False, provisional_above=100).events(
        _data(rows), priority=[0, 1]))
    kinds = [type(e) for e in events]
    assert Partial in kinds and kinds.index(Partial) < kinds.index(Done)
    partial = next(e for e in events if isinstance(e, Partial)).result
    assert not partial.complete and {s.index for s in partial.segments} <= {0, 1}
    assert events[-1].result.complete and len(events[-1].result.segments) == len(rows)


def test_cancel_ends_the_events_and_the_process_serves_the_next_request():
    job = KeywordJob(use_cache=False)
    threading.Timer(0.5, job.cancel).start()
    started = time.monotonic()
    events = list(job.events(_data(ROWS * 5000)))
    assert time.monotonic() - started < 10
    assert not any(isinstance(e, Done) for e in events)
    process = service_process()
    assert process is not None and process.is_alive()
    after = list(KeywordJob(use_cache=False).events(_data()))
    assert isinstance(after[-1], Done) and after[-1].result.keyword("台风").count == 4
    assert service_process() is process  # the same process, jieba still loaded


def test_a_process_that_dies_during_a_job_is_reported_and_replaced():
    KeywordJob.prewarm()
    events = KeywordJob(use_cache=False).events(_data(ROWS * 2000))  # seconds of work
    assert isinstance(next(events), Progress)  # the job is under way in the child
    service_process().kill()
    rest = list(events)
    assert isinstance(rest[-1], Failed) and "stopped" in rest[-1].message
    again = list(KeywordJob(use_cache=False).events(_data()))
    assert isinstance(again[-1], Done)


def test_a_process_found_dead_before_a_job_is_replaced_without_fuss():
    KeywordJob.prewarm()
    dead = service_process()
    dead.kill()
    dead.join(10)
    events = list(KeywordJob(use_cache=False).events(_data()))
    assert isinstance(events[-1], Done)
    assert service_process() is not dead


def test_user_words_of_one_request_do_not_leak_into_the_next():
    rows = [("narration", "項目秘書每天跑工地，項目秘書幫企業辦手續，企業都找項目秘書。")]
    plain = KeywordInput.from_transcript(transcript(rows))
    taught = KeywordInput.from_transcript(transcript(rows), ["項目秘書"])
    first = list(KeywordJob(use_cache=False).events(taught))[-1].result
    assert first.keyword("项目秘书") is not None
    second = list(KeywordJob(use_cache=False).events(plain))[-1].result
    assert second == extract_keywords(plain, use_cache=False)
    assert second.keyword("项目秘书") is None


def test_without_child_processes_the_work_happens_in_the_calling_thread(monkeypatch):
    import multiprocessing

    tried = []

    def no_processes(*args, **kwargs):
        tried.append(True)
        raise OSError("no processes here")

    monkeypatch.setattr(keywords_process, "_service", keywords_process._Service())
    monkeypatch.setattr(multiprocessing.get_context("spawn"), "Process", no_processes)
    data = _data()
    events = list(KeywordJob(use_cache=False).events(data))
    assert tried  # a child was asked for, and could not start
    assert isinstance(events[-1], Done)
    assert events[-1].result == extract_keywords(data, use_cache=False)


def test_parallel_tokenizing_gives_the_same_result():
    from parser.keywords import compute_keywords
    from parser.keywords_parallel import chunks, tokenize_in_parallel

    # 电|竞选|手 again and again: the lone characters around a word are voted on in each part.
    rows = [(who, f"{text}第{i}段。電競選手很厲害。") for i in range(40) for who, text in ROWS]
    data = _data(rows)
    parts = chunks(data.segments, 3)
    assert len(parts) == 3 and [s for part in parts for s in part] == list(data.segments)
    seen = []
    tally = tokenize_in_parallel(data, 3, lambda done, total: seen.append((done, total)))
    assert tally is not None  # helpers did start
    assert seen[-1] == (data.size, data.size)
    assert list(tally.texts()) == [text for _, text in data.segments]
    together = compute_keywords(data)
    assert together.keyword("电竞选手") is not None
    assert compute_keywords(data, workers=3) == together


def test_the_keyword_process_ends_when_its_program_is_killed(tmp_path):
    """kill -9 of the reader: the keyword process and multiprocessing's resource tracker both end,
    and neither prints onto the terminal (the tracker warns about "leaked semaphores" otherwise)."""
    import os
    import signal
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from multiprocessing import resource_tracker\n"
        "from parser.keywords_process import KeywordJob, service_process\n"
        "if __name__ == '__main__':\n"
        "    KeywordJob.prewarm()\n"
        "    print(service_process().pid, resource_tracker._resource_tracker._pid, flush=True)\n"
        "    time.sleep(60)\n"
    )
    (tmp_path / "prog.py").write_text(script)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    with open(tmp_path / "stderr", "w+b") as terminal:
        program = subprocess.Popen([sys.executable, str(tmp_path / "prog.py")], env=env,
                                   stdout=subprocess.PIPE, stderr=terminal, text=True)
        child, tracker = map(int, program.stdout.readline().split())
        program.send_signal(signal.SIGKILL)  # no exit handler runs
        program.wait()
        deadline = time.monotonic() + 10
        for pid in (child, tracker):
            while _alive(pid):
                assert time.monotonic() < deadline, f"process {pid} outlived its program"
                time.sleep(0.05)
        terminal.seek(0)
        assert terminal.read().decode(errors="replace") == ""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "State:\tZ" not in f.read()
    except FileNotFoundError:
        return False


def test_the_keyword_process_stays_small_on_a_big_transcript(tmp_path):
    """jieba's own dictionary alone is ~100 MB resident; the process that finds keywords for a
    1 MB Chinese transcript (3,000 turns) stays well under that, its peak included."""
    from bench.generate import generate_text
    from parser import parse

    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc")
    path = tmp_path / "big.txt"
    path.write_text(generate_text("zh", 1_000_000)[0], encoding="utf-8")
    data = KeywordInput.from_transcript(parse(path))
    keywords_process.stop_service()  # a new process: its peak is this transcript's
    events = list(KeywordJob(use_cache=False).events(data))
    assert isinstance(events[-1], Done) and len(events[-1].result.keywords) == 20
    with open(f"/proc/{service_process().pid}/status") as f:
        peak_kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    assert peak_kb < 80 * 1024
