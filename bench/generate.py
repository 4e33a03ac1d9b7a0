"""Deterministic synthetic transcripts of any size, for the benchmarks.

Chinese follows the seed's convention (narration first, `title name:` labels, a label that
carries only a title now and then, `字(pīn)` reading annotations, a credits line in parentheses at
the end); English uses `NAME:` labels with the odd stage direction. About 400 bytes per turn, so
10 MB holds about 25,000 turns.

The text is built from a small vocabulary of our own: sentences are drawn once into a pool, then
turns are assembled from the pool, which keeps 100 MB to a few seconds.

Marker words that occur nowhere else are planted where the terminal benchmark looks for them
(see `Markers`), so it can wait for exact text on screen after each key.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Bump when the output changes, so cached files are regenerated.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20261127
BYTES_PER_TURN = 400  # the 10 MB ~ 25,000 turns
LANGUAGES = ("zh", "en")

_SIZE_UNITS = {"k": 10**3, "m": 10**6, "g": 10**9}


def parse_size(text: str) -> int:
    """'100k' -> 100_000, '10m' -> 10_000_000, '2500' -> 2500 (decimal units)."""
    t = text.strip().lower().removesuffix("b")
    if t and t[-1] in _SIZE_UNITS:
        return int(float(t[:-1]) * _SIZE_UNITS[t[-1]])
    return int(t)


def size_label(n: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} B"


@dataclass(frozen=True, slots=True)
class Markers:
    """Words planted in a generated transcript; each occurs only where described."""

    first: str  # opens segment 0 (a long narration): on the first screen
    next_tail: str  # closes segment 1 (the host's first turn): in view once `j` selects it
    same_speaker: str  # opens the host's second turn, ~150 segments on: in view after `J`
    query: str  # what the benchmark searches for with `/`
    hit_first: str  # opens the segment holding the first match, at ~70% of the file
    hit_next: str  # opens the segment holding the second match, at ~98% (`n`)
    last: str  # opens the last segment (the credits line): in view after End


@dataclass(frozen=True, slots=True)
class Generated:
    path: Path
    lang: str
    target: int  # the size asked for, in bytes
    size: int  # the size written, in bytes
    lines: int  # non-empty lines
    turns: int  # labelled lines
    speakers: int  # distinct speakers, the host included
    markers: Markers


# --------------------------------------------------------------------------- Chinese vocabulary
# Traditional characters; none of the marker characters (琥珀珊瑚琉璃瑪瑙翡翠) occur here.
_ZH_WORDS = (
    "幹部 項目 企業 經濟 發展 建設 城市 農村 鄉鎮 產業 科技 創新 人才 服務 群眾 政策 市場 投資 "
    "招商 交通 物流 港口 機場 數據 網絡 電視 新聞 教育 醫療 環境 生態 文化 旅遊 農業 工廠 園區 "
    "社區 居民 家庭 青年 學生 老師 專家 問題 機制 制度 改革 規劃 目標 任務 成果 效率 質量 標準 "
    "技術 設備 平台 資源 能源 水利 道路 橋樑 鐵路 航線 貨運 冷鏈 口岸 樞紐 支點 擔當 作為 激勵 "
    "意見 會議 全會 主題 信號 熱情 動力 事業 天地 現場 基層 一線 窗口 審批 流程 時間 成本 訂單 "
    "客戶 產品 工人 師傅 車間 生產線 研發 團隊 實驗室 專利 人工智能 機器人 芯片 軟件 算法 "
    "推動 加快 提升 促進 支持 完善 落實 打造 建成 開展 參與 實現 解決 研究 討論 介紹 表示 認為 "
    "希望 需要 看到 覺得 知道 開始 堅持 聚焦 釋放 鼓勵 保障 優化 壓縮 對接 跟進 協調 走訪 調研 "
    "我們 大家 今天 現在 已經 正在 一直 非常 進一步 同時 另外 其實 因為 所以 但是 如果 這樣 "
    "更加 全面 重要 關鍵 明顯 積極 主動 具體 實際 長期 持續 穩定 高質量 新時代 老百姓 "
    "去年 今年 明年 上午 下午 每天 每年 一批 一些 很多 幾個 第一 第二 三年 五年 十萬 百億"
).split()
_ZH_GLUE = ("的", "了", "在", "和", "也", "都", "還", "把", "對", "從", "為", "是", "有", "讓", "將")
# Characters that change under Traditional->Simplified conversion, with a toned reading: the
# seed's annotations all look like this, and the parser relies on it.
_ZH_READINGS = {
    "開": "kāi", "會": "huì", "點": "diǎn", "過": "guò", "關": "guān", "進": "jìn", "設": "shè",
    "發": "fā", "動": "dòng", "經": "jīng", "濟": "jì", "業": "yè", "區": "qū", "書": "shū",
    "記": "jì", "時": "shí", "間": "jiān", "這": "zhè", "義": "yì", "項": "xiàng", "機": "jī",
    "當": "dāng", "擔": "dān", "現": "xiàn", "實": "shí", "數": "shù", "據": "jù", "從": "cóng",
    "與": "yǔ", "來": "lái", "對": "duì", "問": "wèn", "題": "tí", "訪": "fǎng", "談": "tán",
    "國": "guó", "個": "gè", "學": "xué", "農": "nóng", "產": "chǎn", "鄉": "xiāng", "鎮": "zhèn",
    "網": "wǎng", "電": "diàn", "視": "shì", "說": "shuō", "讓": "ràng", "還": "hái", "後": "hòu",
    "優": "yōu", "擊": "jī", "鐵": "tiě", "橋": "qiáo", "樞": "shū", "紐": "niǔ", "協": "xié",
}
_ZH_SURNAMES = (
    "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘蔣蔡余杜葉程蘇"
    "魏呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋傅方白鄒孟熊秦邱江尹薛段雷侯龍史陶黎賀顧毛郝龔邵"
)
_ZH_GIVEN = "偉芳娜敏靜麗強磊軍洋勇艷傑娟濤明超秀霞平剛英華玉蘭輝鵬飛斌宇浩凱健俊帆旭寧琳晨欣怡婷雪博文峰"
_ZH_PLACES = (
    "南港市", "西嶺縣", "東湖區", "江北新區", "青山鎮", "白沙村", "北川縣", "臨江市", "雲台區",
    "清河鎮", "石橋村", "新城區", "長寧縣", "鳳凰鎮", "高新區", "河西區",
)
_ZH_ORGS = (
    "發展改革局", "經信局", "科技局", "交通運輸局", "商務局", "農業農村局", "招商服務中心",
    "人民醫院", "第一中學", "物流園", "產業園管委會", "文旅局", "供電公司", "數據中心",
)
_ZH_ROLES = ("局長", "副局長", "主任", "副主任", "書記", "總經理", "副總經理", "院長", "校長",
             "工程師", "科長", "負責人", "項目經理", "技術員")
_ZH_PLAIN_TITLES = ("記者", "市民", "村民", "專家", "企業主", "志願者", "快遞員", "老師", "學生")
_ZH_HOST = "主持人 林曉彤"  # the host: speaks second, then not again until the J marker

_ZH_MARKERS = Markers(
    first="琥珀開場",
    next_tail="珊瑚收尾",
    same_speaker="琉璃再訪",
    query="瑪瑙",
    hit_first="瑪瑙一號",
    hit_next="瑪瑙二號",
    last="翡翠台",
)

# --------------------------------------------------------------------------- English vocabulary
# None of amber/coral/lapis/obsidian/jade(stone) occur here.
_EN_WORDS = (
    "we they people city county budget plan project program school hospital road bridge river port "
    "market price cost tax policy rule court case record data report study question answer point "
    "issue problem change growth job worker family community council committee agency office "
    "energy water power grid train station airport freight network service system process review "
    "evidence witness testimony hearing agreement contract deadline schedule meeting vote support "
    "think believe know see expect need want hope say mean show build fix fund open close start "
    "finish discuss explain consider review approve reject propose suggest ask answer measure "
    "important clear simple difficult fair public private local national federal early late new "
    "old large small long short better worse really actually certainly probably frankly honestly "
    "today yesterday tomorrow now then again already still always never often sometimes here there "
    "first second third last next every each many several few most some all both either neither"
).split()
_EN_GLUE = ("the", "a", "of", "to", "and", "in", "that", "for", "on", "with", "as", "is", "was")
_EN_FIRST = (
    "Maria", "James", "Aisha", "Kenji", "Olga", "Pedro", "Fatima", "Liam", "Chen", "Nora", "Samuel",
    "Ingrid", "Tomas", "Priya", "Hugo", "Zainab", "Victor", "Mei", "Oscar", "Leila", "Dmitri",
    "Grace", "Rafael", "Yuki", "Elena", "Marcus", "Sofia", "Arjun", "Clara", "Ibrahim",
)
_EN_LAST = (
    "Alvarez", "Okafor", "Lindqvist", "Tanaka", "Novak", "Reyes", "Haddad", "Murphy", "Wong",
    "Brennan", "Kowalski", "Moreau", "Castillo", "Nakamura", "Osei", "Petrov", "Sato", "Fischer",
    "Duarte", "Kaplan", "Mensah", "Rossi", "Varga", "Quinn", "Abbott", "Delgado", "Hart", "Iyer",
)
_EN_PREFIXES = ("", "", "", "DR. ", "MR. ", "MS. ", "SENATOR ", "PROFESSOR ", "JUDGE ", "MAYOR ")
_EN_HOST = "ROSALIND HALE"
_EN_STAGE = ("(LAUGHTER)", "(CROSSTALK)", "(APPLAUSE)", "(INAUDIBLE)", "(BREAK IN RECORDING)")

_EN_MARKERS = Markers(
    first="Amberfield",
    next_tail="coralwind",
    same_speaker="Lapisgate",
    query="obsidian",
    hit_first="obsidian alpha",
    hit_next="obsidian omega",
    last="Jadestone",
)

MARKERS = {"zh": _ZH_MARKERS, "en": _EN_MARKERS}


# --------------------------------------------------------------------------- sentence pools
def _zh_sentence(rng: random.Random, annotate: bool) -> str:
    clauses = []
    for _ in range(rng.randint(1, 3)):
        words = []
        for _ in range(rng.randint(3, 7)):
            words.append(rng.choice(_ZH_WORDS))
            if rng.random() < 0.4:
                words.append(rng.choice(_ZH_GLUE))
        if rng.random() < 0.08:
            words[-1] = f"“{words[-1]}”"
        clauses.append("".join(words))
    text = ",".join(clauses) + rng.choice("。。。。?")
    if annotate:
        text = "".join(
            f"{ch}({_ZH_READINGS[ch]})" if ch in _ZH_READINGS and rng.random() < 0.35 else ch
            for ch in text
        )
    return text


def _en_sentence(rng: random.Random, annotate: bool) -> str:
    words = []
    for _ in range(rng.randint(5, 16)):
        if rng.random() < 0.45:
            words.append(rng.choice(_EN_GLUE))
        words.append(rng.choice(_EN_WORDS))
    words[0] = words[0].capitalize()
    if rng.random() < 0.15:
        words.insert(rng.randint(1, len(words) - 1), "--")
    return " ".join(words) + rng.choice("....?")


@dataclass(frozen=True, slots=True)
class _Kit:
    sentence: Callable[[random.Random, bool], str]
    joiner: str  # between sentences of one turn
    colon: Callable[[random.Random], str]


_KITS = {
    "zh": _Kit(_zh_sentence, "", lambda rng: ":" if rng.random() < 0.9 else "："),
    "en": _Kit(_en_sentence, " ", lambda rng: ": "),
}


def _zh_cast(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    """(label, title-only label or None) per speaker, unique."""
    cast: list[tuple[str, str | None]] = []
    seen = {_ZH_HOST}
    while len(cast) < n:
        name = rng.choice(_ZH_SURNAMES) + "".join(rng.choices(_ZH_GIVEN, k=rng.randint(1, 2)))
        if rng.random() < 0.3:
            title = rng.choice(_ZH_PLAIN_TITLES)
        else:
            title = rng.choice(_ZH_PLACES) + rng.choice(_ZH_ORGS) + rng.choice(_ZH_ROLES)
        label = f"{title} {name}"
        if label in seen:
            continue
        seen.add(label)
        # Some speakers are now and then labelled by their title alone (the seed's 項目秘書).
        cast.append((label, title if rng.random() < 0.15 else None))
    return cast


def _en_cast(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    cast: list[tuple[str, str | None]] = []
    seen = {_EN_HOST}
    while len(cast) < n:
        first, last = rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
        prefix = rng.choice(_EN_PREFIXES)
        label = f"{prefix}{first} {last}".upper()
        if label in seen:
            # Past ~800 speakers the plain names run out: a middle initial keeps them unique.
            label = f"{prefix}{first} {chr(65 + len(cast) % 26)}. {last}".upper()
            if label in seen:
                continue
        seen.add(label)
        short = f"{prefix}{last}".upper() if prefix and rng.random() < 0.3 else None
        cast.append((label, short))
    return cast


# --------------------------------------------------------------------------- assembly
def generate_text(lang: str, target: int, seed: int = DEFAULT_SEED) -> tuple[str, dict]:
    """Build a transcript of about `target` bytes (UTF-8) and return it with counts.

    The result never falls short of `target` by more than one turn, nor exceeds it by more than
    the credits line.
    """
    if lang not in _KITS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    rng = random.Random(f"{seed}:{lang}")
    kit, m = _KITS[lang], MARKERS[lang]
    zh = lang == "zh"

    pool = [kit.sentence(rng, rng.random() < (0.12 if zh else 0.0)) for _ in range(3000)]
    pool_bytes = [len(s.encode()) for s in pool]
    est_turns = max(50, target // BYTES_PER_TURN)
    n_cast = max(12, min(800, est_turns // 100))
    cast = (_zh_cast if zh else _en_cast)(rng, n_cast)
    host = _ZH_HOST if zh else _EN_HOST
    # A few speakers talk a lot, most a little.
    cum_weights = []
    acc = 0.0
    for i in range(len(cast)):
        acc += 1.0 / (1 + i) ** 0.8
        cum_weights.append(acc)

    def text(min_bytes: int, max_sentences: int = 60) -> tuple[str, int]:
        parts, size = [], 0
        while size < min_bytes and len(parts) < max_sentences:
            i = rng.randrange(len(pool))
            parts.append(pool[i])
            size += pool_bytes[i] + len(kit.joiner)
        return kit.joiner.join(parts), size

    def turn(label: str, body: str) -> str:
        return f"{label}{kit.colon(rng)}{body}"

    # Segment 0: a long narration, longer than a screen, so segment 1 is not in full view.
    narration, _ = text(6000 if zh else 5000)
    lines = [f"{m.first}{'' if zh else ' '}{narration}"]
    # Segment 1: the host, short enough to show in full once selected; marker at the end.
    opener, _ = text(200 if zh else 150, max_sentences=3)
    lines.append(turn(host, f"{opener} {m.next_tail}"))
    size = sum(len(x.encode()) + 1 for x in lines)

    credits = (
        f"({m.last}新聞記者 王曉明 李文華 張敏 通訊員 陳浩 劉芳)"
        if zh
        else f"({m.last} transcript service. Edited for length and clarity.)"
    )
    budget = target - len(credits.encode()) - 1
    short_labels = 0
    while size < budget:
        r = rng.random()
        if r < 0.04:
            line, n = text(120)  # narration between turns
        elif r < 0.045:
            line = rng.choice(_EN_STAGE) if not zh else "(現場同期聲)"
            n = len(line.encode())
        elif r < 0.065:
            lines.append("")  # blank lines, as real files have
            size += 1
            continue
        else:
            (label, short), = rng.choices(cast, cum_weights=cum_weights)
            if short and rng.random() < 0.2:
                label = short
                short_labels += 1
            body, n = text(rng.choice((20, 50, 100, 160, 250, 350, 500, 900)))
            line = turn(label, body)
            n += len(label.encode()) + (1 if zh else 2)
        lines.append(line)
        size += n + 1

    # Plant the markers by replacing lines, so the size barely moves.
    count = len(lines)
    j_at = min(150, max(3, count // 3))
    hit1_at, hit2_at = int(count * 0.70), int(count * 0.98)
    sep = "" if zh else " "
    body, _ = text(200)
    lines[j_at] = turn(host, f"{m.same_speaker}{sep}{body}")
    # The host keeps speaking now and then after that, so `J` has somewhere to go.
    for i in range(j_at + 1, count, 97):
        if i not in (hit1_at, hit2_at):
            lines[i] = turn(host, text(250)[0])
    for at, marker in ((hit1_at, m.hit_first), (hit2_at, m.hit_next)):
        label, _ = cast[rng.randrange(len(cast))]
        lines[at] = turn(label, f"{marker}{sep}{text(200)[0]}")
    lines.append(credits)

    content = "\n".join(lines) + "\n"
    non_empty = [x for x in lines if x]
    info = {
        "lines": len(non_empty),
        "turns": sum(1 for x in non_empty if not x.startswith(m.first) and _has_label(x, zh)),
        "speakers": len(cast) + 1,
        "short_labels": short_labels,
    }
    return content, info


def _has_label(line: str, zh: bool) -> bool:
    head = line[:60]
    return ":" in head or (zh and "：" in head)


def cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "yulu-bench"


def ensure(lang: str, target: int, seed: int = DEFAULT_SEED, folder: Path | None = None) -> Generated:
    """The generated transcript for (lang, target), written once to the cache folder."""
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{lang}-{target}-s{seed}-v{GENERATOR_VERSION}"
    path = folder / f"{stem}.txt"
    meta = folder / f"{stem}.meta"
    if path.exists() and meta.exists():
        lines, turns, speakers = (int(x) for x in meta.read_text().split())
    else:
        content, info = generate_text(lang, target, seed)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(content.encode("utf-8"))
        tmp.replace(path)  # a reader never sees half a file
        lines, turns, speakers = info["lines"], info["turns"], info["speakers"]
        meta.write_text(f"{lines} {turns} {speakers}\n")
    return Generated(
        path=path,
        lang=lang,
        target=target,
        size=path.stat().st_size,
        lines=lines,
        turns=turns,
        speakers=speakers,
        markers=MARKERS[lang],
    )
