"""Recognise a speaker label at the start of a paragraph, and split it into name, title, alias.

Every form is one compiled regex tried on the paragraph's first line; `match_label` returns the
label, the rest of the line, and the start time when the line carries one.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from parser.cjk import CJK

COLON = r"[:：︰]"
_TIME = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"

# Line prefixes that carry a start time: [00:01:02], \[04:06\], 0:03
_TIME_PREFIX = re.compile(rf"^(?:\\?\[(?P<time>{_TIME})\\?\]|\((?P<ptime>{_TIME})\))\s*")
# [0:00:06.8 - 0:00:07.2] SPEAKER_00 - text
_RANGE_LINE = re.compile(
    rf"^\[(?P<time>{_TIME})\s*-+>?\s*{_TIME}\]\s*(?P<label>[^\s-][^-]{{0,40}}?)\s+[-–]\s+(?P<rest>.*)$"
)
# ### 唐鳳：   (a heading that is a label; the text follows in the next paragraphs)
_HEADING_LABEL = re.compile(rf"^#{{1,6}}\s*(?P<label>[^#:：︰]{{1,40}}?)\s*{COLON}\s*(?P<rest>.*)$")
# **Nick Nisi:** text   /   **Break**: text
_BOLD_LABEL = re.compile(
    rf"^\*\*(?P<label>[^*:：︰]{{1,50}}?)\s*(?:{COLON}\s*\*\*|\*\*\s*{COLON})\s*(?P<rest>.*)$"
)
# 【主持人】text   /   【主持人】：text
_BRACKET_LABEL = re.compile(rf"^【(?P<label>[^】]{{1,30}})】\s*{COLON}?\s*(?P<rest>.*)$")
# Q   text (a bare Q or A followed by two or more spaces, NBSPs included)
_BARE_QA = re.compile(r"^(?P<label>Q|A|问|答|問)(?:[ \t\u00a0\u3000]{2,}|\u00a0[ \u00a0]*)(?P<rest>\S.*)$")
# Q. Did you see him?  /  A. Yes.  (depositions; only counted when the file has several)
_QA_DOT = re.compile(r"^(?P<label>Q|A)\.[ \t\u00a0]+(?P<rest>\S.*)$")
# Speaker 1 (00:12):  /  John Smith [01:02:03] text  (Rev, Descript, Zoom exports)
_TIMED_LABEL = re.compile(
    rf"^(?P<label>[^:：︰()\[\]]{{1,60}}?)\s*[(\[](?P<time>{_TIME})[)\]]\s*(?:{COLON}\s*(?P<rest>.*)|$)"
)
# Name: text  -- the workhorse; validated by `plausible_label`
_PLAIN_LABEL = re.compile(rf"^(?P<label>[^:：︰]{{0,119}}[^:：︰\s])[ \t]?{COLON}[ \t\u00a0\u3000]*(?P<rest>.*)$")
# Otter: "Name  0:03" alone on a line, the text on the following lines
_OTTER_HEADER = re.compile(
    rf"^(?P<label>[A-Z{CJK}][\w .'{CJK}-]{{0,40}}?)\s{{2,}}(?P<time>{_TIME})\s*$"
)

# Label words that are metadata keys, not people (主题：…, APPEARANCES:, code: <https://…>).
META_KEYS = frozenset(
    k.casefold()
    for k in (
        "主题 主題 位置 地点 地點 时间 時間 日期 幻灯片 幻燈片 视频 視頻 影片 链接 連結 鏈接 来源 "
        "來源 出处 出處 作者 译者 譯者 翻译 翻譯 标题 標題 摘要 关键词 關鍵詞 标签 標籤 备注 備註 "
        "注 注意 参考 參考 参考资料 參考資料 原文 网址 網址 地址 演讲者 演講者 讲者 講者 嘉宾 嘉賓 "
        "主办 主辦 会议 會議 活动 活動 文字 整理 校对 校對 字幕 音频 音頻 媒体 媒體 转录 轉錄 "
        "title date time location venue place slides slide video audio code transcript transcripts "
        "source sources media tags tag link links url urls note notes topic topics speakers speaker "
        "appearances present also present contents index subject re from to cc bcc summary "
        "abstract keywords category categories author authors by translation editor website "
        "github paper papers reference references see example examples warning tip update "
        "transcript by translation by edited by"
    ).split()
)
_META_PHRASES = frozenset({"transcript by", "translation by", "edited by", "also present"})

# Role words: a label made only of one of these names a role, not a person.
ROLE_WORDS = frozenset(
    "主持人 主持 记者 記者 旁白 解说 解說 主播 编辑 編輯 观众 觀眾 听众 聽眾 提问 提問 问 答 問 "
    "翻译 翻譯 口译 口譯 字幕 现场 現場 同期声 同期聲 画外音 畫外音 嘉宾 嘉賓 来宾 來賓".split()
)
# Titles written after a name: 林雅婷 老師
TRAILING_TITLES = frozenset(
    "老师 老師 教授 博士 先生 女士 小姐 医师 醫師 医生 醫生 律师 律師 委员 委員 议员 議員 "
    "部长 部長 院长 院長 市长 市長 县长 縣長 局长 局長 主任 主席 总统 總統 总理 總理 "
    "校长 校長 同学 同學 记者 記者 主持人 法官 牧师 牧師 神父 法师 法師 董事长 董事長 总经理 總經理".split()
)

# Short words that end a clause with a colon in prose (例如：) rather than name a speaker.
PROSE_LEADS = frozenset(
    "例如 比如 譬如 总之 總之 其次 首先 然后 然後 另外 此外 注意 提示 答案 结论 結論 问题 問題 "
    "原因 因此 所以 但是 不过 不過 第一 第二 第三 第四 最后 最後 包括 即 如下 以下 结果 結果 "
    "重点 重點 目标 目標 方法 步骤 步驟 定义 定義 比较 比較 简单 簡單 例子 好处 好處 问题是 問題是 "
    "however so and but yes no well now then also first second third finally result results "
    "conclusion background problem solution step warning caution important reminder".split()
)

_SENTENCE_PUNCT = re.compile(r"[，。！？；,!?;「」『』《》…]|\.\s|\.$|https?|www\.|//")
_SPEECH_VERB = re.compile(r"(?:说|說|表示|指出|道|问道|問道|强调|強調|认为|認為|称|稱|写道|寫道)$")
_ABBREV_DOT = re.compile(r"\b(?:MR|MS|MRS|DR|JR|SR|ST|GEN|REP|SEN|GOV|LT|COL|SGT|PROF|Mr|Ms|Mrs|Dr|Jr|Sr|St|Prof)\.")
_UPPER_LABEL = re.compile(r"^[A-Z][A-Z .,'’\-]{0,45}[A-Z.]$")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|de|van|von|der|da|di|la|le|du|bin|al|el|del|dos|das)$")
_ANON = re.compile(r"^(?:SPEAKER[_ ]?\d{1,3}|Speaker\s?\d{1,3}|Unknown Speaker|Interviewer|Interviewee)$", re.I)
_ALIAS = re.compile(r"^(?P<name>.+?)\s*[（(](?P<alias>[A-Za-z]{1,6}|[" + CJK + r"]{1,3})[)）]$")
# `Maria Lopez (host)`: a lower-case role in parentheses is a title, not an alias like (SA)
_ROLE_IN_PARENS = re.compile(r"^(?P<name>.+?)\s*[（(](?P<role>[a-z][a-z .\-]{1,30})[)）]$")
_CJK_ONLY = re.compile(f"^[{CJK}]+$")
_HAS_CJK = re.compile(f"[{CJK}]")
_DIGIT_START = re.compile(r"^\d")


# First characters of the label forms that need no colon (【主持人】, bare Q/A).
_COLONLESS_STARTS = frozenset("【QA问答問")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    label: str  # as written, without the colon or markup
    rest: str  # what follows on the line
    time: float | None = None
    strong: bool = False  # markup makes it a label (heading, bold, bracket, Q/A, time range)
    weak: bool = False  # a label only if the file has it more than once (Q. / A.)


def parse_time(value: str) -> float:
    """'1:02:03.5' -> 3723.5 seconds."""
    value = value.replace(",", ".")
    parts = value.split(":")
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + float(p)
    return seconds


def ruby_free(label: str) -> str:
    return " ".join((_RUBY.sub("", label) if "(" in label else label).split())


def is_meta_key(label: str) -> bool:
    key = label.strip().casefold()
    return key in META_KEYS or key in _META_PHRASES


# Ruby pinyin inside a label (書(shū)記) does not count against it.
_RUBY = re.compile(r"\([a-zü\u00e0-\u01dc\u1e3f]{1,7}\)")


def plausible_label(label: str, rest: str) -> bool:
    """Could `label` (text before a colon at paragraph start) name a speaker?"""
    # Labels recur: cache the verdict on the label and the two facts about `rest` it uses.
    return _plausible(label, rest.startswith("//"), _HAS_CJK.search(rest, 0, 20) is not None)


def _plausible_match(m: re.Match[str]) -> bool:
    """plausible_label for a match's `label` and `rest` groups, reading `rest` in place (not a
    copy of the rest of the line, made only for a label that is accepted)."""
    s, r = m.string, m.start("rest")
    if r < 0:
        return _plausible(m.group("label"), False, False)
    return _plausible(m.group("label"), s.startswith("//", r),
                      _HAS_CJK.search(s, r, r + 20) is not None)


def _label_text(m: re.Match[str]) -> str:
    # The same few labels recur thousands of times: one string each while a file is parsed.
    return sys.intern(m.group("label").strip())


@lru_cache(maxsize=16384)
def _plausible(label: str, rest_is_url: bool, rest_is_cjk: bool) -> bool:
    label = _RUBY.sub("", label).strip() if "(" in label else label.strip()
    if not label or _DIGIT_START.match(label) and not _ANON.match(label):
        return False
    if rest_is_url or is_meta_key(label):
        return False
    if _ANON.match(label):
        return True
    probe = _ABBREV_DOT.sub("X", label)
    probe = _ALIAS.sub(lambda m: m.group("name"), probe)
    if _SENTENCE_PUNCT.search(probe):
        return False
    if _HAS_CJK.search(label):
        if len(label) > 32 or _SPEECH_VERB.search(label):
            return False
        # A CJK label is one or two space-separated parts (title and name); prose has more.
        return len(label.split()) <= 3
    words = probe.split()
    if not 1 <= len(words) <= 6 or len(label) > 48:
        return False
    if _UPPER_LABEL.match(label):
        return True
    if all(_NAME_WORD.match(w) for w in words) and len(words) <= 4:
        return True
    # a lone lower-case handle (darosior：) only in front of CJK text
    return len(words) == 1 and label.isascii() and rest_is_cjk


def is_prose_lead(label: str) -> bool:
    """例如, However, Finally: words that end a clause with a colon in prose."""
    return label.casefold() in PROSE_LEADS


def match_label(line: str) -> LabelMatch | None:
    """The label at the start of a paragraph's first line, if there is one."""
    s = line.strip()
    if not s:
        return None
    head = s[:130]
    if ":" not in head and "：" not in head and "︰" not in head and s[0] not in _COLONLESS_STARTS:
        return None  # the common case: a line of running text
    time: float | None = None
    m = _RANGE_LINE.match(s)
    if m:
        return LabelMatch(_label_text(m), m.group("rest"), parse_time(m.group("time")), True)
    m = _TIME_PREFIX.match(s)
    if m:
        time = parse_time(m.group("time") or m.group("ptime"))
        s = s[m.end() :]
    first = s[:1]
    if first == "#":
        m = _HEADING_LABEL.match(s)
        if m and _plausible_match(m):
            return LabelMatch(_label_text(m), m.group("rest"), time, True)
        return None
    if first == "*":
        m = _BOLD_LABEL.match(s)
        # Bold marks a label only when what is bold could name someone: not a bold sentence
        # such as **Note that this matters:**.
        if m and _plausible_match(m):
            rest, t = _leading_time(m.group("rest"))
            return LabelMatch(_label_text(m), rest, time if t is None else t, True)
        return None
    if first == "【":
        m = _BRACKET_LABEL.match(s)
        # The brackets make it a label: only prose inside them is refused (no meta-key check:
        # 【嘉宾】 is a role here, while 嘉宾：… at the top of a file is metadata).
        if m and not _SENTENCE_PUNCT.search(m.group("label")):
            return LabelMatch(_label_text(m), m.group("rest"), time, True)
        return None
    m = _BARE_QA.match(s)
    if m:
        return LabelMatch(m.group("label"), m.group("rest"), time, True)
    m = _QA_DOT.match(s)
    if m:
        return LabelMatch(m.group("label"), m.group("rest"), time, False, weak=True)
    m = _TIMED_LABEL.match(s)
    if m and _plausible_match(m):
        rest = m.group("rest") or ""
        return LabelMatch(_label_text(m), rest, parse_time(m.group("time")), strong=not rest)
    m = _PLAIN_LABEL.match(s)
    if m and _plausible_match(m):
        rest, t = _leading_time(m.group("rest"))
        return LabelMatch(_label_text(m), rest, time if t is None else t, False)
    return None


def match_otter_header(line: str) -> LabelMatch | None:
    m = _OTTER_HEADER.match(line.strip())
    if m and plausible_label(m.group("label"), ""):
        return LabelMatch(m.group("label").strip(), "", parse_time(m.group("time")), True)
    return None


def _leading_time(rest: str) -> tuple[str, float | None]:
    m = _TIME_PREFIX.match(rest)
    if m:
        return rest[m.end() :], parse_time(m.group("time") or m.group("ptime"))
    return rest, None


@dataclass(frozen=True, slots=True)
class LabelParts:
    name: str | None
    title: str | None
    alias: str | None


def split_label(label: str) -> LabelParts:
    """記者 尚大原 -> title 記者, name 尚大原; 林雅婷 老師 -> name, title; Shaun Apps（SA） -> alias."""
    label = " ".join(label.split())
    alias = None
    role = _ROLE_IN_PARENS.match(label)
    if role:
        return LabelParts(role.group("name").strip(), role.group("role").strip(), None)
    m = _ALIAS.match(label)
    if m:
        label, alias = m.group("name").strip(), m.group("alias")
    if label in ROLE_WORDS:
        return LabelParts(label, None, alias) if label in {"问", "答", "問", "提问", "提問"} else \
            LabelParts(None, label, alias)
    if _HAS_CJK.search(label):
        parts = label.split(" ")
        if len(parts) >= 2:
            head, last = " ".join(parts[:-1]), parts[-1]
            if last in TRAILING_TITLES:
                return LabelParts(head, last, alias)
            if _CJK_ONLY.match(last) and 2 <= len(last) <= 4 or not _HAS_CJK.search(last):
                return LabelParts(last, head, alias)
    return LabelParts(label, None, alias)
