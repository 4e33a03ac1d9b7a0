"""`yulu keywords`: what a user sees on the terminal."""

from __future__ import annotations

import json

import pytest

from tui.cli import main

TEXT = (
    "主持人：颱風「海鷗」今天清晨在屏東登陸，颱風帶來的豪雨讓屏東多處淹水。\n"
    "林曉明：颱風強度持續減弱，但豪雨特報仍未解除，屏東山區要防範土石流。\n"
    "陳縣長：縣政府宣布停班停課，颱風過後再檢查堤防，豪雨損失會盡快補助。\n"
)


@pytest.fixture
def transcript_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("YULU_DB", str(tmp_path / "none" / "yulu.json"))
    path = tmp_path / "typhoon.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_json_lists_words_in_the_transcripts_own_script(transcript_file, capsys):
    assert main(["keywords", str(transcript_file), "--json", "--top", "3"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["keywords"]) == 3
    assert set(doc["keywords"][0]) == {"word", "weight", "count"}
    words = [k["word"] for k in doc["keywords"]]
    assert "颱風" in words and "台风" not in words
    assert next(k for k in doc["keywords"] if k["word"] == "颱風")["count"] == 4


def test_plain_listing_and_one_segment(transcript_file, capsys):
    assert main(["keywords", str(transcript_file)]) == 0
    out = capsys.readouterr().out
    assert "颱風" in out and "屏東" in out
    assert main(["keywords", str(transcript_file), "--segment", "2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["segment"] == 2
    assert {"停課", "堤防"} <= {k["word"] for k in doc["keywords"]}


def test_user_word_keeps_a_term_whole(transcript_file, capsys):
    assert main(["keywords", str(transcript_file), "--json", "--word", "颱風豪雨"]) == 0
    words = [k["word"] for k in json.loads(capsys.readouterr().out)["keywords"]]
    assert "颱風" in words  # still found where not written as one term


def test_segment_out_of_range_is_one_line_and_status_2(transcript_file, capsys):
    assert main(["keywords", str(transcript_file), "--segment", "99"]) == 2
    err = capsys.readouterr().err
    assert "no segment 99" in err and "Traceback" not in err


def test_bad_top_is_a_usage_error(transcript_file, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["keywords", str(transcript_file), "--top", "0"])
    assert exc.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_missing_file_is_one_line_and_status_2(tmp_path, capsys):
    assert main(["keywords", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("yulu:") and "\n" not in err
