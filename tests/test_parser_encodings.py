"""The same transcript saved in every supported encoding parses identically."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from parser import parse, read_head, read_source, to_json
from parser.errors import TranscriptError

FIXTURE = Path(__file__).parent / "fixtures" / "parser" / "zh_interview.txt"
TEXT = FIXTURE.read_text(encoding="utf-8")

ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "big5": lambda t: t.encode("big5"),
    "utf-16": lambda t: t.encode("utf-16"),  # with BOM
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-8-crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


def _view(transcript):
    data = to_json(transcript)
    return data["speakers"], [(s["kind"], s["speaker"], s["label"], s["text"]) for s in
                              data["segments"]]


@pytest.fixture(scope="module")
def reference():
    return _view(parse(FIXTURE))


def test_fixture_reads_as_a_reader_expects(reference):
    speakers, segments = reference
    assert [s["name"] for s in speakers] == [None, "林雅婷", "陳建宏"]
    assert speakers[0]["title"] == "主持人" and speakers[1]["title"] == "老師"
    kinds = [k for k, *_ in segments]
    assert kinds[0] == "narration" and kinds[-1] == "credits"
    assert "stage" in kinds  # （笑）
    # the stage direction does not end 林雅婷's turn: she goes on after it
    stage = kinds.index("stage")
    assert segments[stage - 1][1] == segments[stage + 1][1]


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_every_encoding_parses_identically(tmp_path, reference, name):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(ENCODINGS[name](TEXT))
    transcript = parse(path)
    assert _view(transcript) == reference
    if name != "utf-8-crlf":
        # offsets index the decoded text (BOM removed)
        text = read_source(path).text
        assert text == TEXT
        for seg in transcript.segments:
            assert 0 <= seg.start <= seg.end <= len(text)
        turn = next(s for s in transcript.segments if s.kind == "turn")
        assert text[turn.start :].startswith("主持人：")


@pytest.mark.parametrize("name,expected", [("gb18030", "gb18030"), ("big5", "big5"),
                                           ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig")])
def test_encoding_is_reported(tmp_path, name, expected):
    path = tmp_path / "t.txt"
    path.write_bytes(ENCODINGS[name](TEXT))
    assert read_source(path).encoding == expected
    assert parse(path).encoding == expected


def test_bytes_and_text_sources_match_the_file(reference):
    assert _view(parse(FIXTURE.read_bytes()))[1] == reference[1]
    assert _view(parse(TEXT))[1] == reference[1]
    assert _view(parse(str(FIXTURE)))[1] == reference[1]  # a one-line str naming a file


def test_binary_is_an_error_not_garbage(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(TranscriptError) as e:
        parse(path)
    message = str(e.value)
    assert str(path) in message and "not a text file" in message and "\n" not in message


def test_head_of_a_large_file_matches_the_full_parse(tmp_path):
    path = tmp_path / "big.txt"
    body = "\n".join(f"主持人：第{i}個問題，請您談談。\n林雅婷 老師：這是第{i}個回答。"
                     for i in range(3000))
    path.write_text(body, encoding="gb18030")
    head = read_head(path, max_bytes=4096)
    assert head.encoding == "gb18030"
    assert head.text.endswith("\n") and len(head.text) < len(body)
    assert body.startswith(head.text)
    from parser import parse_text

    partial = parse_text(head.text, complete=False)
    full = parse(path)
    assert not partial.complete and full.complete
    n = len(partial.segments) - 1
    assert n > 10
    assert partial.segments[:n] == full.segments[:n]


def test_head_of_utf16_file(tmp_path):
    path = tmp_path / "big16.txt"
    body = "主持人：你好。\n" * 2000
    path.write_text(body, encoding="utf-16")
    head = read_head(path, max_bytes=1001)  # odd: cuts inside a character
    assert head.encoding == "utf-16"
    assert body.startswith(head.text) and head.text.endswith("\n")


def test_empty_file_has_no_segments(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    t = parse(path)
    assert t.segments == () and t.speakers == ()
    assert read_head(path).text == ""


@pytest.mark.parametrize(
    "text,encoding,expected",
    [
        ("記者 王一：大家好\n", "big5", "big5"),  # short: GB18030 also "decodes" it, into rare chars
        ("王一：好\n", "gb18030", "gb18030"),
        ("主持人：今天我們來談談這個問題。\n", "big5", "big5"),
        ("Grüße aus Köln, schön hier.\nJörg: Straße\n", "latin-1", "cp1252"),
        ("Le président: «Ça va très bien», à l'été.\n", "cp1252", "cp1252"),
    ],
)
def test_short_texts_pick_the_right_encoding(tmp_path, text, encoding, expected):
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode(encoding))
    source = read_source(path)
    assert source.encoding == expected
    assert source.text == text


@pytest.mark.parametrize("chunk", [7, 1000, 1 << 20])
@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_chunked_read_decides_as_the_whole_file(tmp_path, monkeypatch, name, chunk):
    """read_source decodes UTF-8 a chunk at a time (a lower peak); chunk edges inside a
    character, or a non-UTF-8 byte past the first chunk, decide exactly as decode_bytes does."""
    from parser import decode

    monkeypatch.setattr(decode, "_READ_CHUNK", chunk)
    data = ENCODINGS[name](TEXT * (70_000 // len(TEXT) + 1))  # past the first 64 KB read
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    src = read_source(path)
    assert (src.text, src.encoding) == decode.decode_bytes(data)


def test_chunked_read_falls_back_after_the_first_chunk(tmp_path, monkeypatch):
    from parser import decode

    monkeypatch.setattr(decode, "_READ_CHUNK", 64)
    # valid UTF-8 for the first chunks, GB18030 at the end: the whole file is GB18030
    data = ("abc " * 20_000).encode() + "開會了".encode("gb18030")
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    assert (read_source(path).text, read_source(path).encoding) == decode.decode_bytes(data)


def test_a_source_in_use_is_shared_until_the_file_changes(tmp_path):
    """Threads reading one file at once share one decoded copy; a changed file is read anew."""
    import os

    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    first = read_source(path)
    assert read_source(path) is first
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    via_link = read_source(link)
    assert via_link.path == str(link) and via_link.text is first.text
    path.write_text(TEXT.replace("主持人", "主持者"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even with the old size and a clock that did not move
    changed = read_source(path)
    assert changed is not first and "主持者" in changed.text
    del first, via_link, changed
    again = read_source(path)
    assert "主持者" in again.text


def test_sources_are_shared_across_threads(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "t.txt"
    path.write_text(TEXT * 50, encoding="utf-8")
    with ThreadPoolExecutor(4) as pool:
        sources = list(pool.map(lambda _: read_source(path), range(8)))
    assert all(s is sources[0] for s in sources)
