"""Write the hostile-input corpus into a folder: files built to crash, hang or hijack a reader.

Usage: `python tests/hostile/generate.py OUT_DIR` (the tests call `write_corpus(tmp_path)`).
Nothing here is committed as data: every file is built from the recipes below, deterministically.

Each case says what a user must get from it:
- "open":   the reader opens it and shows `shows` literally (after escape sequences are stripped);
- "refuse": one clear line naming the file on stderr (exit 2) / a notification, nothing else;
- "either": opening or refusing are both fine, but never a crash, a hang or a leaked escape.
`hidden` are strings that must never reach any output: payloads of escape sequences (a window
title, a clipboard write) that a sanitizer must drop together with their escape.
"""

from __future__ import annotations

import base64
import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Outcome = Literal["open", "refuse", "either"]

# Payload sentinels: if one of these shows up anywhere, an escape sequence leaked its payload.
PWNED = "PWNED"
CLIP_PAYLOAD = base64.b64encode(b"PWNED-CLIPBOARD").decode()  # what an OSC 52 would copy
ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"


@dataclass(frozen=True)
class Case:
    name: str
    outcome: Outcome
    build: Callable[[Path], Path] = field(repr=False)
    shows: tuple[str, ...] = ()  # substrings the reader must show (sanitized text)
    hidden: tuple[str, ...] = ()  # substrings that must never be output
    escapes: bool = False  # worth running in a real terminal (tmux)
    big: bool = False  # slow to build/parse: the suite runs it in fewer places


# Ordinary lines around hostile ones: a file made only of escapes is refused as "mostly control
# characters" (a separate case), and the point here is that a real transcript carrying a few
# of them opens and shows them harmlessly.
PADDING = "".join(f"Host: ordinary line {i} of the padding around hostile lines.\n"
                  for i in range(40))


def _text(name: str, content: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode(encoding))
        return path

    return build


def _bytes(name: str, content: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return build


# -- markup: every form that Rich/Textual markup would parse, crash on or act on -------------

MARKUP = "\n".join([
    "Alice: [/] a closing tag with nothing open",
    "Bob: [/ an unclosed tag [/",
    "Alice: [link=https://example.invalid/x]a link[/link] here",
    "Bob: [@click=app.quit]click to quit[/] here",
    "Alice: [$accent]a variable[/] and [bold red on blue]style[/] and [b]x[/b]",
    "Bob: [@click=app.bell]bell[/@click] and [/link] and [[double]] and \\[escaped]",
    "[@click=app.quit]Carol[/]: a label made of markup",
    "[/]: a label that is a closing tag",
    "",
])
MARKUP_SHOWS = (
    "[/] a closing tag with nothing open",
    "[/ an unclosed tag [/",
    "[link=https://example.invalid/x]a link[/link] here",
    "[@click=app.quit]click to quit[/] here",
    "[$accent]a variable[/]",
    "[bold red on blue]style[/]",
    "[@click=app.bell]bell[/@click]",
)

# -- escape sequences: CSI, OSC (title, clipboard, hyperlink), DCS/APC, C1, terminal queries -----

CSI = "".join([
    "Alice: A1", ESC, "[2J", ESC, "[HB1 ", ESC, "[31mC1", ESC, "[0m D1", ESC, "[?1049lE1",
    ESC, "[?25l", ESC, "[999;999H", "F1\n",
    "Bob: query", ESC, "[6n", ESC, "[c", ESC, "[21t", ESC, "[>0q", " answered\n",
])
CSI_SHOWS = ("A1B1 C1 D1E1F1", "query answered")

OSC = "".join([
    "Alice: copy this", ESC, "]52;c;", CLIP_PAYLOAD, BEL, " and done\n",
    "Bob: primary", ESC, "]52;p;", CLIP_PAYLOAD, ST, " too\n",
    "Alice: title", ESC, "]0;", PWNED, "-TITLE", BEL, ESC, "]2;", PWNED, "-TITLE", ST, " set\n",
    "Bob: a ", ESC, "]8;;https://", PWNED, ".invalid/", BEL, "hyperlink", ESC, "]8;;", BEL, " here\n",
    "Alice: unterminated", ESC, "]0;", PWNED, "-NO-END\n",
    "Bob: next line survives\n",
])
OSC_SHOWS = ("copy this and done", "primary too", "title set", "a hyperlink here",
             "next line survives")

DCS_APC = "".join([
    "Alice: dcs", ESC, "P+q544e", ST, " apc", ESC, "_", PWNED, ST, " pm", ESC, "^", PWNED, ST,
    " sos", ESC, "X", PWNED, ST, " end\n",
    "Bob: reset", ESC, "c", ESC, "(0", "charset", ESC, "(B", ESC, "7", ESC, "8", " done\n",
])
DCS_SHOWS = ("dcs apc pm sos end", "resetcharset done")

C1 = "".join([
    "Alice: C1a\u009b2JC1b \u009d0;", PWNED, "\u009c C1c\u0085\u008d\n",
    "Bob: csi8\u009b31mred\u009b0m\n",
])
C1_SHOWS = ("C1aC1b", "csi8red")

CONTROLS = "".join([
    "Alice: ring", BEL, "ring back\b\b\bspace del\x7fete vt\x0bff\x0cend\n",
    "Bob: carriage", "\r", "return inside a line\n",
])
CONTROLS_SHOWS = ("ringring", "backspace", "delete")

LABELS = "".join([
    ESC, "[31mEve", ESC, "[0m: a coloured label\n",
    ESC, "]0;", PWNED, BEL, "Mallory: a label behind a title change\n",
    "Trent\u202e: an overridden label\n",
])
LABELS_SHOWS = ("a coloured label", "a label behind a title change")

BIDI = "".join([
    "Alice: abc\u202edcba\u202c and \u2066iso\u2069 and \u202dlro\u202c and \u200fRLM mark\n",
    "Bob: \u202e:rekaepS\u202c fake label reversed\n",
])
BIDI_SHOWS = ("abcdcba", "iso", "lro")

ZERO_WIDTH = "".join([
    "Alice: zero\u200bwidth join\u200dx non\u200cjoiner word\u2060joiner bom\ufeffmid\n",
    "Bob: combining e\u0301 Z\u0337\u0322\u031b\u0336a\u0335l\u0336g\u0337o tower x",
    "\u0300" * 300, " end\n",
    "Alice: Hangul jamo \u1100\u1161\u11a8 and variation \u845b\U000e0100 ok\n",
])
ZERO_WIDTH_SHOWS = ("combining e\u0301",)

EMOJI = "".join([
    "Alice: family \U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 flag \U0001f1e8\U0001f1f3",
    " skin \U0001f44d\U0001f3fd vs16 \u263a\ufe0f keycap 1\ufe0f\u20e3 cjk 中文 wide ｗｉｄｅ\n",
    "\U0001f600: an emoji label\n",
    "Bob: ", "\U0001f525" * 400, "\n",
])
EMOJI_SHOWS = ("family", "中文")

TABS = "Alice:\tcol1\tcol2\t\tcol4\nBob: \t\t\tleading tabs\n"

# -- size ------------------------------------------------------------------------------------


def _long_line(folder: Path) -> Path:
    """5 MB on one line, no newline at all, multi-byte: the head is cut mid-character."""
    path = folder / "long_line_5mb.txt"
    unit = "主持人说这是一个很长的句子，没有换行。".encode()
    reps = 5 * 1024 * 1024 // len(unit) + 1
    path.write_bytes("主持人：".encode() + unit * reps)
    return path


def _turns(folder: Path, count: int = 200_000) -> Path:
    path = folder / "turns_200k.txt"
    names = ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace")
    with path.open("w", encoding="utf-8") as f:
        for i in range(count):
            f.write(f"{names[i % 7]}: turn {i} of the long hearing.\n")
    return path


def _many_speakers(folder: Path) -> Path:
    path = folder / "speakers_5000.txt"
    path.write_text("".join(f"Speaker{i}: line {i}\n" for i in range(5000)), encoding="utf-8")
    return path


PATHOLOGICAL = "".join([
    "a:" * 50_000, "\n",
    "：" * 50_000, "\n",
    "[" * 100_000, "\n",
    "[/" * 50_000, "\n",
    "(" * 50_000, "\n",
    "字(" * 20_000, "\n",
    "Alice: ", "x" * 10_000, "(zhōng)" * 5_000, "\n",
    "L" * 20_000, ": a huge label\n",
    "Bob: pathological lines above\n",
])

# -- encodings -------------------------------------------------------------------------------

ZH = "主持人：歡迎收看今天的新聞。\n記者 王小明：這裡是現場報道。\n"


def _invalid_utf8(folder: Path) -> Path:
    good = "主持人：這是一段正常的文字。\n".encode()
    data = good + b"Alice: bad \xff\xfe bytes \x80\x81 and a lone \xed\xa0\x80 surrogate\n" + good
    return _bytes("invalid_utf8.txt", data)(folder)


def _mixed(folder: Path) -> Path:
    data = ("主持人：前半是UTF-8。\n".encode() + "記者：後半是GB18030編碼。\n".encode("gb18030")
            + "觀眾：這一行是Big5。\n".encode("big5"))
    return _bytes("mixed_encodings.txt", data)(folder)


def _binary(folder: Path) -> Path:
    rng = random.Random(9)
    data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(20_000))
    return _bytes("binary.png.txt", data)(folder)


def _nul(folder: Path) -> Path:
    return _bytes("nul_byte.txt", b"Alice: one NUL\x00 here\nBob: fine\n")(folder)


# -- not regular files, odd names ---------------------------------------------------------------


def _directory(folder: Path) -> Path:
    path = folder / "a_directory.txt"
    path.mkdir()
    return path


def _missing(folder: Path) -> Path:
    return folder / "missing.txt"


def _symlink_loop(folder: Path) -> Path:
    a, b = folder / "loop_a.txt", folder / "loop_b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


def _broken_symlink(folder: Path) -> Path:
    path = folder / "broken_link.txt"
    path.symlink_to(folder / "nowhere" / "gone.txt")
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _device(folder: Path) -> Path:
    path = folder / "zero_device.txt"
    path.symlink_to("/dev/zero")  # reading it never ends
    return path


def _unreadable(folder: Path) -> Path:
    path = folder / "unreadable.txt"
    path.write_text("Alice: secret\n", encoding="utf-8")
    path.chmod(0)
    return path


HOSTILE_NAME = f"name [@click=app.quit] {ESC}]0;{PWNED}{BEL} 名字.txt"


def _hostile_name(folder: Path) -> Path:
    path = folder / HOSTILE_NAME
    path.write_text("Alice: a file whose name is hostile\n", encoding="utf-8")
    return path


def _missing_hostile_name(folder: Path) -> Path:
    return folder / f"gone{ESC}]0;{PWNED}{BEL}\nsecond line{ESC}[2J.txt"


ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

CASES: tuple[Case, ...] = (
    Case("markup", "open", _text("markup.txt", MARKUP + PADDING), MARKUP_SHOWS, escapes=True),
    Case("csi", "open", _text("csi.txt", CSI + PADDING), CSI_SHOWS, ("[2J", "[31m", "[6n", "[?1049l"),
         escapes=True),
    Case("osc", "open", _text("osc.txt", OSC + PADDING), OSC_SHOWS, (PWNED, CLIP_PAYLOAD, "52;"),
         escapes=True),
    Case("dcs_apc", "open", _text("dcs_apc.txt", DCS_APC + PADDING), DCS_SHOWS, (PWNED, "+q544e"),
         escapes=True),
    Case("c1", "open", _text("c1.txt", C1 + PADDING), C1_SHOWS, (PWNED,), escapes=True),
    Case("controls", "open", _text("controls.txt", CONTROLS + PADDING), CONTROLS_SHOWS, escapes=True),
    Case("labels", "open", _text("labels.txt", LABELS + PADDING), LABELS_SHOWS, (PWNED, "[31m"),
         escapes=True),
    Case("bidi", "open", _text("bidi.txt", BIDI + PADDING), BIDI_SHOWS, ("\u202e", "\u2066", "\u202d"),
         escapes=True),
    Case("zero_width", "open", _text("zero_width.txt", ZERO_WIDTH + PADDING), ZERO_WIDTH_SHOWS,
         escapes=True),
    Case("emoji", "open", _text("emoji.txt", EMOJI + PADDING), EMOJI_SHOWS, escapes=True),
    Case("tabs", "open", _text("tabs.txt", TABS + PADDING), ("col1",), escapes=True),
    Case("dense_escapes", "either", _text("dense_escapes.txt", CSI * 3), hidden=("[2J", "[6n")),
    Case("pathological", "open", _text("pathological.txt", PATHOLOGICAL),
         ("pathological lines above",)),
    Case("long_line_5mb", "open", _long_line, ("这是一个很长的句子",), big=True),
    Case("turns_200k", "open", _turns, ("turn 0 of the long hearing",), big=True),
    Case("speakers_5000", "open", _many_speakers, ("line 0",)),
    Case("utf8_bom", "open", _bytes("utf8_bom.txt", b"\xef\xbb\xbf" + ZH.encode()), ("歡迎收看",)),
    Case("utf16_bom", "open", _text("utf16_bom.txt", "\ufeff" + ZH, "utf-16-le"), ("歡迎收看",)),
    Case("gb18030", "open", _text("gb18030.txt", ZH, "gb18030"), ("歡迎收看",)),
    Case("big5", "open", _text("big5.txt", ZH, "big5"), ("歡迎收看",)),
    Case("crlf_cr", "open", _text("crlf_cr.txt", "Alice: one\r\nBob: two\rCarol: three\r\n"),
         ("one", "two", "three")),
    Case("invalid_utf8", "either", _invalid_utf8),
    Case("mixed_encodings", "either", _mixed),
    Case("nul_byte", "either", _nul),
    Case("binary", "refuse", _binary),
    Case("empty", "open", _bytes("empty.txt", b"")),
    Case("blank", "open", _text("blank.txt", "\n\n  \n\t\n\r\n")),
    Case("directory", "refuse", _directory),
    Case("missing", "refuse", _missing),
    Case("symlink_loop", "refuse", _symlink_loop),
    Case("broken_symlink", "refuse", _broken_symlink),
    Case("fifo", "refuse", _fifo),
    Case("device", "refuse", _device),
    # root reads anything: the permission check cannot refuse it there
    Case("unreadable", "open" if ROOT else "refuse", _unreadable),
    Case("hostile_name", "open", _hostile_name, ("a file whose name is hostile",), (PWNED,),
         escapes=True),
    Case("missing_hostile_name", "refuse", _missing_hostile_name, hidden=(PWNED, "[2J")),
)

BY_NAME = {case.name: case for case in CASES}


def write_corpus(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Build the cases (all, or `names`) into `folder`; returns name -> path to open."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = [BY_NAME[n] for n in names] if names else list(CASES)
    return {case.name: case.build(folder) for case in chosen}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: generate.py OUT_DIR", file=sys.stderr)
        return 2
    for name, path in write_corpus(Path(argv[0])).items():
        print(f"{name}\t{path!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
