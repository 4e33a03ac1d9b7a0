"""`yulu notes` and `yulu export`: what a user sees on stdout/stderr and in exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser import parse_text, read_source
from store import Store
from tui.cli import main

TEXT = """主持人：各位觀眾晚安，歡迎收看今天的節目。
王教授：謝謝主持人。
主持人：我們先來談談最近的房價問題，很多年輕人買不起房子。
王教授：我認為政府應該增加社會住宅的供給，同時抑制投機炒作。
主持人：謝謝王教授的分析。
"""


@pytest.fixture
def setup(tmp_path: Path):
    """A transcript file and a store with two notes and a bookmark on it."""
    file = tmp_path / "talk.txt"
    file.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "notes.json"
    source = read_source(file)
    doc = parse_text(source.text, source=str(file))
    store = Store(db)
    tid = store.transcript_id(source.text)
    store.remember_transcript(tid, file, "房價訪談", doc)
    store.add_note(tid, doc, 3, "社會住宅\n要查數據 *重要*")
    store.add_note(tid, doc, 2, "年輕人\x1b[31m紅字")
    store.toggle_bookmark(tid, doc, 4)
    return file, db, doc


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_notes_lists_quote_speaker_and_note(setup, capsys) -> None:
    file, db, _ = setup
    code, out, err = run(capsys, "notes", str(file), "--db", str(db))
    assert code == 0 and err == ""
    assert "房價訪談" in out
    assert "王教授: 我認為政府應該增加社會住宅" in out
    assert "社會住宅\n" in out and "要查數據 *重要*" in out
    assert "bookmark" in out
    assert "\x1b" not in out  # an escape sequence in a note never reaches the terminal
    assert out.index("年輕人") < out.index("社會住宅")  # reading order


def test_notes_json(setup, capsys) -> None:
    file, db, _ = setup
    code, out, _ = run(capsys, "notes", "--json", "--db", str(db))
    data = json.loads(out)
    assert data["schema"] == "yulu.notes/1"
    items = data["transcripts"][0]["items"]
    assert [(i["kind"], i["index"]) for i in items] == [("note", 2), ("note", 3), ("bookmark", 4)]
    assert items[1]["speaker"] == "王教授"
    assert items[1]["quote"] == "我認為政府應該增加社會住宅的供給，同時抑制投機炒作。"


def test_export_markdown_is_a_study_sheet(setup, capsys, tmp_path: Path) -> None:
    file, db, _ = setup
    code, out, _ = run(capsys, "export", str(file), "--format", "md", "--db", str(db))
    assert code == 0
    assert out.startswith("# 房價訪談\n")
    assert "## 王教授 · ¶4\n\n> 我認為政府應該增加社會住宅的供給" in out
    assert "## 主持人 · ¶5 · bookmarked\n\n> 謝謝王教授的分析。" in out
    assert "社會住宅  \n要查數據 *重要*" in out  # the note keeps its line break
    assert "\x1b" not in out
    target = tmp_path / "sheet.md"
    code, _, err = run(capsys, "export", "--db", str(db), "-o", str(target))
    assert code == 0 and "wrote" in err
    assert target.read_text("utf-8") == out


def test_export_json(setup, capsys) -> None:
    file, db, _ = setup
    code, out, _ = run(capsys, "export", str(file), "--format", "json", "--db", str(db))
    items = json.loads(out)["transcripts"][0]["items"]
    assert {i["note"] for i in items} == {"社會住宅\n要查數據 *重要*", "年輕人\x1b[31m紅字", ""}


def test_edited_file_still_finds_its_notes_at_their_new_place(setup, capsys) -> None:
    file, db, _ = setup
    file.write_text("旁白：節目開始。\n" + TEXT, encoding="utf-8")
    code, out, _ = run(capsys, "notes", str(file), "--json", "--db", str(db))
    items = json.loads(out)["transcripts"][0]["items"]
    assert [i["index"] for i in items] == [3, 4, 5]


def test_orphaned_note_is_listed_not_dropped(setup, capsys) -> None:
    file, db, _ = setup
    file.write_text(TEXT.replace("主持人：我們先來談談最近的房價問題，很多年輕人買不起房子。\n", ""),
                    encoding="utf-8")
    code, out, _ = run(capsys, "notes", str(file), "--db", str(db))
    assert "¶? (not found)" in out and "年輕人" in out


def test_empty_store(tmp_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "notes", "--db", str(tmp_path / "none.json"))
    assert (code, out) == (0, "No notes or bookmarks.\n")
    code, out, _ = run(capsys, "export", "--db", str(tmp_path / "none.json"))
    assert (code, out) == (0, "No notes or bookmarks.\n")


@pytest.mark.parametrize("command", ["notes", "export"])
def test_bad_input_is_one_line_and_status_2(tmp_path: Path, capsys, command: str) -> None:
    code, out, err = run(capsys, command, str(tmp_path / "missing.txt"),
                         "--db", str(tmp_path / "n.json"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "missing.txt" in err
    (tmp_path / "folder.json").mkdir()
    code, _, err = run(capsys, command, "--db", str(tmp_path / "folder.json"))
    assert code == 2 and "is a folder" in err and err.count("\n") == 1


def test_corrupt_store_is_reported_on_stderr_and_kept(tmp_path: Path, capsys) -> None:
    db = tmp_path / "n.json"
    db.write_bytes(b'{"half": ')
    code, out, err = run(capsys, "notes", "--db", str(db))
    assert code == 0 and out == "No notes or bookmarks.\n"
    assert "moved aside to" in err
    assert list(tmp_path.glob("n.json.corrupt-*"))[0].read_bytes() == b'{"half": '


def test_env_var_chooses_the_store(setup, capsys, monkeypatch) -> None:
    _, db, _ = setup
    monkeypatch.setenv("YULU_DB", str(db))
    code, out, _ = run(capsys, "notes")
    assert "房價訪談" in out


def test_json_escapes_bidi_and_c1_controls_but_keeps_their_value(setup, capsys) -> None:
    file, db, doc = setup
    store = Store(db)
    sneaky = "右\u202e左\x9b31m"
    store.add_note(store.transcript_id(file.read_text("utf-8")), doc, 0, sneaky)
    for argv in (["notes", "--json"], ["export", "--format", "json"]):
        code, out, _ = run(capsys, *argv, "--db", str(db))
        assert code == 0 and "\u202e" not in out and "\x9b" not in out
        notes = [i["note"] for i in json.loads(out)["transcripts"][0]["items"]]
        assert sneaky in notes


def test_study_sheet_quotes_a_passage_once_for_its_bookmark_and_notes(setup, capsys) -> None:
    file, db, doc = setup
    store = Store(db)
    tid = store.transcript_id(file.read_text("utf-8"))
    store.toggle_bookmark(tid, doc, 3)
    store.add_note(tid, doc, 3, "第二條想法")
    code, out, _ = run(capsys, "export", str(file), "--db", str(db))
    assert out.count("> 我認為政府應該增加社會住宅") == 1
    passage = out[out.index("## 王教授 · ¶4 · bookmarked"):]
    assert passage.index("要查數據") < passage.index("第二條想法") < passage.index("## 主持人 · ¶5")
