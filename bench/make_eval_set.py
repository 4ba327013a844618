"""Write a held-out evaluation set: real records rendered as the messy files users collect.

The ingest's cleaning and facet rules were tuned on a handful of files. This set holds
documents of kinds they were not tuned on (local regulations, national laws, CCTV stories
from ../shared/corpora), each written out in one of seven damaged forms, with labels that
come from OUTSIDE the text (folder province, file-name year, the title), so a rule cannot
grade itself.

    .venv/bin/python bench/make_eval_set.py --out DIR [--corpora ../shared/corpora] [--n 400] [--seed 1]

Output: DIR/tune/<form>/*, DIR/test/<form>/* and DIR/labels.jsonl (one line a file: path,
split, source record id, labels {level, province, year, title}, the injected chrome/ad
lines, the clean body paragraphs, the planted pinyin notes and GBK garbles).

Two splits keep the evaluation honest: a record goes to `tune` or `test` by a stable hash of
its id, and every chrome/ad wording (bench/eval_data/*.txt) and filler value
(bench/eval_data/fillers.toml) by a stable hash of its text; a test file is written only
with test wordings, so rules written from the tune half are scored on wordings they never saw.

Once a test half has been reported and studied it is no longer unseen. `--fresh DIR` takes
new wordings (DIR/ads.txt, DIR/chrome.txt, written later by people who saw neither the rules
nor the older wordings), split by hash like the others: the test half then uses only its
half of them, the tune half the other half and every older wording;
`--exclude OLDSET` (repeatable) keeps the records of earlier sets out of the draw, and
`--burned OLDFRESH` (repeatable) puts an earlier fresh folder, once its test half was
reported, wholly into the tune half.
DIR is a scratch folder: never commit it (the CCTV texts must not enter the project).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import random
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
EVAL_DATA = Path(__file__).resolve().parent / "eval_data"
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"
SPLITS = ("tune", "test")
FORMS = ("gov_page", "html", "fanwen", "docx", "traditional", "gbk_garble", "layout")
# Share of each source in the set; the rest of --n goes to regulations.
MIX = {"laws_local": 0.30, "laws_national": 0.20, "xwlb": 0.20}
MIN_CHARS, MAX_CHARS = 600, 12000
XWLB_MIN_CHARS = 300
ARTEFACT_LINES = {"All Five Concepts", "Content"}
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CORPUS_LEVEL = {"province": "省", "prefecture": "市"}
# Share of local documents whose first line names the province first (广西壮族自治区南宁市…).
PLACE_PREFIX_SHARE = 0.25


def stable_split(key: str) -> str:
    """`tune` or `test` from a hash of `key`: the same on every machine and run."""
    return SPLITS[hashlib.sha256(key.encode("utf-8")).digest()[0] & 1]


# ---------------------------------------------------------------- wording pools


@dataclass(frozen=True)
class Template:
    """One chrome or ad wording, with the split it belongs to."""

    kind: str  # "ad" or "chrome"
    place: str  # the [section] it was listed under
    text: str

    @property
    def split(self) -> str:
        return stable_split(f"{self.kind}:{self.text}")

    @property
    def tid(self) -> str:
        return f"{self.kind}/{self.place}/{hashlib.sha256(self.text.encode()).hexdigest()[:8]}"


def read_templates(path: Path, kind: str) -> list[Template]:
    """Templates of a pool file: `[place]` headers, one template a line, `#` comments."""
    out, place = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and " " not in line:
            place = line[1:-1]
            continue
        out.append(Template(kind, place, line))
    return out


@dataclass
class Pools:
    """The wordings and filler values of one split only."""

    split: str
    templates: dict[tuple[str, str], list[Template]]
    fillers: dict[str, list[str]]
    pinyin: dict[str, str]

    def pick(self, rng: random.Random, kind: str, *places: str) -> Template:
        choices = [t for p in places for t in self.templates.get((kind, p), [])]
        return rng.choice(choices)


def all_templates(folder: Path = EVAL_DATA) -> list[Template]:
    return read_templates(folder / "ads.txt", "ad") + read_templates(folder / "chrome.txt", "chrome")


def split_templates(split: str, fresh: Path | None, burned: tuple[Path, ...] = ()) -> list[Template]:
    """The wordings of `split`: its hash half; with `fresh`, the fresh folder's hash half, and
    for tune also every older wording (both older halves, once reported, are tuning data), the
    burned folders' (earlier fresh wordings whose test half was reported) included."""
    if fresh is None:
        return [t for t in all_templates() if t.split == split]
    halves = [t for t in all_templates(fresh) if t.split == split]
    if split == "test":
        return halves
    return all_templates() + [t for folder in burned for t in all_templates(folder)] + halves


def load_pools(split: str, fresh: Path | None = None, burned: tuple[Path, ...] = ()) -> Pools:
    """The pools a document of `split` may draw on (every place must keep some wordings)."""
    templates: dict[tuple[str, str], list[Template]] = {}
    for t in split_templates(split, fresh, burned):
        templates.setdefault((t.kind, t.place), []).append(t)
    fillers_all = tomllib.loads((EVAL_DATA / "fillers.toml").read_text(encoding="utf-8"))
    fillers = {k: [v for v in vs if stable_split(f"{k}:{v}") == split] or vs[:1] for k, vs in fillers_all.items()}
    pinyin = {}
    for line in (EVAL_DATA / "pinyin.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, reading = line.split()
            pinyin[char] = reading
    for kind, place in {(t.kind, t.place) for t in all_templates()}:
        if not templates.get((kind, place)):
            raise SystemExit(f"the {split} split has no {kind} wording under [{place}]: add some")
    return Pools(split, templates, fillers, pinyin)


# ---------------------------------------------------------------- records


@dataclass
class Record:
    """A corpus record reduced to what a file needs: title, body, outside labels."""

    source: str
    record_id: str
    title: str
    body: list[str]
    level: str | None
    province: str | None
    year: int | None
    date: str | None
    place_site: str

    @property
    def split(self) -> str:
        return stable_split(f"record:{self.source}:{self.record_id}")


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def none(value: object) -> object:
    """The corpora write a missing value as the string 'None'."""
    return None if value in (None, "None", "") else value


def body_lines(text: str, title: str) -> list[str]:
    """Clean paragraphs: no artefact header, zero-width marks, Markdown heading marks, title."""
    out = []
    for raw in text.split("\n"):
        line = ZERO_WIDTH.sub("", raw).strip().lstrip("#").strip()
        if not line or line in ARTEFACT_LINES or line == title or line.startswith("<!--"):
            continue
        out.append(line)
    return out


def gazetteer_levels() -> dict[str, str]:
    """Division name → project level, from the project's gazetteer (read only)."""
    levels = {}
    path = ROOT / "data" / "gazetteer" / "divisions.csv"
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split(",")
        if len(parts) >= 4:
            levels.setdefault(parts[1], parts[3])
    return levels


def project_level(corpus_level: object, jurisdiction: object, levels: dict[str, str]) -> str | None:
    """The corpus' derived level in the project's vocabulary (county: 县 or 区 by the gazetteer)."""
    if corpus_level == "national":
        return "中央"
    if corpus_level in CORPUS_LEVEL:
        return CORPUS_LEVEL[corpus_level]
    if corpus_level == "county":
        name = str(jurisdiction or "")
        return levels.get(name) or ("区" if name.endswith("区") else "县")
    return None


def local_site(jurisdiction: object, province: object, rng_key: str) -> str:
    """A site name of the body the record really comes from."""
    place = none(jurisdiction) or none(province)
    if not place:
        return "中国人大网"
    kinds = ["人民政府", "人大常委会", "人民政府", "司法局"]
    return f"{place}{kinds[hashlib.sha256(rng_key.encode()).digest()[1] % len(kinds)]}"


def load_records(corpora: Path) -> dict[str, list[Record]]:
    """Every usable record, by source, de-duplicated by title across sources."""
    levels = gazetteer_levels()
    out: dict[str, list[Record]] = {"regs": [], "laws_local": [], "laws_national": [], "xwlb": []}
    seen: set[str] = set()
    for r in read_jsonl(corpora / "civilized-behavior-regs" / "regs.jsonl.gz"):
        body = body_lines(r["text"], r["title"])
        if r["title"] in seen or not MIN_CHARS <= sum(map(len, body)) <= MAX_CHARS:
            continue
        seen.add(r["title"])
        out["regs"].append(Record("regs", r["id"], r["title"], body,
                                  project_level(none(r["level"]), r["jurisdiction"], levels),
                                  none(r["province"]), int(r["year"]) if none(r["year"]) else None,
                                  none(r["date"]), local_site(r["jurisdiction"], r["province"], r["id"])))
    for r in read_jsonl(corpora / "laws-lawrefbook" / "laws.jsonl.gz"):
        info = [line.strip() for line in (none(r["info"]) or "").split("\n") if line.strip()]
        body = info + body_lines(r["text"], r["title"])
        if r["title"] in seen or not MIN_CHARS <= sum(map(len, body)) <= MAX_CHARS:
            continue
        seen.add(r["title"])
        national = r["scope"] == "national"
        out["laws_national" if national else "laws_local"].append(Record(
            "laws", r["id"], r["title"], body, project_level(none(r["level"]), r["jurisdiction"], levels),
            None if national else none(r["province"]), int(r["year"]) if none(r["year"]) else None,
            none(r["date"]), "中国人大网" if national else local_site(r["jurisdiction"], r["province"], r["id"])))
    for r in read_jsonl(corpora / "xwlb-cctv" / "items.jsonl.gz"):
        body = body_lines(r["text"], r["title"])
        if r["title"] in seen or sum(map(len, body)) < XWLB_MIN_CHARS:
            continue
        seen.add(r["title"])
        out["xwlb"].append(Record("xwlb", r["id"], r["title"], body, None, None,
                                  int(r["year"]) if none(r["year"]) else None, none(r["date"]), "央视网"))
    return out


def select(records: dict[str, list[Record]], n: int, seed: int) -> list[Record]:
    """A seeded sample with the MIX of sources, in a stable order."""
    rng = random.Random(seed)
    counts = {k: round(n * share) for k, share in MIX.items()}
    counts["regs"] = n - sum(counts.values())
    chosen = []
    for source in ("regs", "laws_local", "laws_national", "xwlb"):
        pool = sorted(records[source], key=lambda r: r.record_id)
        rng.shuffle(pool)
        chosen.extend(pool[: counts[source]])
    return chosen


# ---------------------------------------------------------------- rendering


@dataclass
class Rendered:
    """A file's bytes and everything the evaluator needs to score it."""

    data: bytes
    ext: str
    encoding: str
    shown_title: str
    body: list[str]
    chrome: list[dict] = field(default_factory=list)
    pinyin: list[str] = field(default_factory=list)
    garbles: list[dict] = field(default_factory=list)
    layout: list[str] = field(default_factory=list)


class Filler:
    """Fills templates for one document: random numbers, split-only names, truthful places."""

    def __init__(self, rng: random.Random, pools: Pools, record: Record):
        self.rng, self.pools, self.record = rng, pools, record
        self.pubdate = self._pubdate()
        self.page_total = rng.randint(3, 9)

    def _pubdate(self) -> str:
        if self.record.date and re.fullmatch(r"\d{4}-\d\d-\d\d", self.record.date):
            return self.record.date
        year = self.record.year or 2021
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def value(self, name: str) -> str:
        rng, f = self.rng, self.pools.fillers
        numbers: dict[str, Callable[[], object]] = {
            "n": lambda: rng.randint(120, 98000), "n2": lambda: rng.randint(2, 30),
            "n3": lambda: rng.randint(100, 999), "n5": lambda: rng.randint(10000, 99999),
            "qq": lambda: rng.randint(100000000, 999999999), "p": lambda: rng.randint(1, self.page_total),
            "pn": lambda: self.page_total, "time": lambda: f"{rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}",
            "phone": lambda: f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            "wx": lambda: f"{rng.choice(f['domain'])}{rng.randint(10, 999)}",
            "size": lambda: f"{rng.randint(12, 900)}KB" if rng.random() < 0.7 else f"{rng.randint(1, 9)}.{rng.randint(0, 9)}MB",
            "url": lambda: f"{rng.choice(['www.', 'http://www.', 'https://', 'm.'])}{rng.choice(f['domain'])}{rng.choice(f['tld'])}",
            "domain": lambda: f"www.{rng.choice(f['domain'])}{rng.choice(f['tld'])}",
            "pubdate": lambda: self.pubdate, "year": lambda: self.pubdate[:4],
            "place_site": lambda: self.record.place_site,
        }
        if name in numbers:
            return str(numbers[name]())
        text = rng.choice(f[name])
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1)), text)

    def lines(self, template: Template) -> list[dict]:
        """The template's line(s), filled, each recorded with its template id and split."""
        text = PLACEHOLDER.sub(lambda m: self.value(m.group(1)), template.text)
        return [{"text": line, "template": template.tid, "split": self.pools.split, "kind": template.kind}
                for line in text.split("\\n")]

    def draw(self, kind: str, *places: str) -> list[dict]:
        return self.lines(self.pools.pick(self.rng, kind, *places))


def shown_title(rng: random.Random, record: Record) -> str:
    """The title, sometimes with the record's own province before it (truthful place prefix)."""
    province = record.province
    if province and not record.title.startswith(province) and record.source != "xwlb" \
            and rng.random() < PLACE_PREFIX_SHARE:
        return province + record.title
    return record.title


def join_lines(items: list[str | dict]) -> list[str]:
    return [i["text"] if isinstance(i, dict) else i for i in items]


def chrome_of(items: list[str | dict]) -> list[dict]:
    return [i for i in items if isinstance(i, dict)]


def interleave(rng: random.Random, body: list[str], every: tuple[int, int],
               make: Callable[[], list[dict]]) -> list[str | dict]:
    """Body paragraphs with injected lines between them every few paragraphs."""
    out: list[str | dict] = []
    gap = rng.randint(*every)
    for i, para in enumerate(body):
        out.append(para)
        if i + 1 == gap and i + 1 < len(body):
            out.extend(make())
            gap += rng.randint(*every)
    return out


def encode_text(lines: list[str], encoding: str, rng: random.Random) -> bytes:
    sep = "\r\n" if rng.random() < 0.3 else "\n"
    blank = rng.random() < 0.5
    text = (sep + sep if blank else sep).join(lines) + sep
    data = text.encode(encoding)
    if encoding == "utf-8" and rng.random() < 0.3:
        data = b"\xef\xbb\xbf" + data
    return data


def render_gov_page(rng: random.Random, fill: Filler, record: Record) -> Rendered:
    """A government site's page saved as text: toolbars above, share widgets below."""
    title = shown_title(rng, record)
    before: list[str | dict] = []
    if rng.random() < 0.6:
        before += fill.draw("chrome", "nav")
    before += fill.draw("chrome", "breadcrumb")
    before += fill.draw("chrome", "toolbar")
    after_title = fill.draw("chrome", "meta") + (fill.draw("chrome", "meta") if rng.random() < 0.4 else [])
    if rng.random() < 0.5:
        after_title += fill.draw("chrome", "toolbar")
    body = interleave(rng, record.body, (6, 25), lambda: fill.draw("chrome", "caption")) \
        if record.source == "xwlb" or rng.random() < 0.3 else list(record.body)
    after: list[str | dict] = []
    for _ in range(rng.randint(2, 5)):
        after += fill.draw("chrome", "after", "toolbar")
    for _ in range(rng.randint(0, 3)):
        after += fill.draw("chrome", "footer")
    items = before + [title] + after_title + body + after
    encoding = rng.choice(["utf-8", "utf-8", "gb18030"])
    return Rendered(encode_text(join_lines(items), encoding, rng), ".txt", encoding, title,
                    list(record.body), chrome_of(items))


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _html_block(items: list[dict]) -> str:
    """Every line of a drawn wording (a template may hold several), one <br> apart."""
    return "<br>".join(_html_escape(item["text"]) for item in items)


def render_html(rng: random.Random, fill: Filler, record: Record) -> Rendered:
    """A saved web page: <title> with the site's name, nav, article, share bar, footer."""
    title = shown_title(rng, record)
    site = record.place_site
    web = site if site.endswith("网") else f"{site}网站"
    portal = site if site.endswith("网") else f"{site}门户网站"
    head_title = rng.choice([f"{title}_{site}", f"{title} - {web}", f"{title}—{portal}", f"{title}|{web}", title])
    charset = rng.choice(["utf-8", "UTF-8", "gb18030", "gbk", "gb2312"])
    encoding = "utf-8" if charset.lower() == "utf-8" else "gb18030"
    nav = fill.draw("chrome", "nav")
    crumb = fill.draw("chrome", "breadcrumb")
    meta = fill.draw("chrome", "meta")
    tools = fill.draw("chrome", "toolbar")
    share = [line for _ in range(rng.randint(2, 4)) for line in fill.draw("chrome", "after")]
    footer = [line for _ in range(rng.randint(2, 4)) for line in fill.draw("chrome", "footer")]
    # Each menu entry is its own line once the page is read: they are scored one by one.
    entries = [w for w in re.split(r"\s*[|·]\s*|\s+", nav[0]["text"]) if w.strip()]
    nav_html = "".join(f'<li><a href="/c{i}.html">{_html_escape(w)}</a></li>' for i, w in enumerate(entries))
    if rng.random() < 0.5:
        paras = "\n".join(f"<p>{_html_escape(p)}</p>" for p in record.body)
    else:
        paras = "<br>\n".join(f"&nbsp;&nbsp;{_html_escape(p)}" for p in record.body)
    zoom = rng.choice(['<div id="zoom" class="TRS_Editor">', '<div class="article-content">', '<td class="bt_content">'])
    close = "</td>" if zoom.startswith("<td") else "</div>"
    content = f"{zoom}\n{paras}\n{close}"
    if zoom.startswith("<td"):
        content = f"<table><tr>{content}</tr></table>"
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{_html_escape(head_title)}</title>
<script type="text/javascript">var _hmt = _hmt || []; var siteId = "{rng.randint(1000, 9999)}";</script>
<link rel="stylesheet" href="/css/style.css"></head>
<body>
<div class="header"><div class="logo">{_html_escape(site)}</div><ul class="nav">{nav_html}</ul></div>
<div class="crumb">{_html_block(crumb)}</div>
<div class="main"><h1>{_html_escape(title)}</h1>
<div class="info">{_html_block(meta)}</div>
<div class="tools">{_html_block(tools)}</div>
{content}
<div class="share">{''.join(f'<p>{_html_escape(s["text"])}</p>' for s in share)}</div></div>
<div class="footer">{''.join(f'<p>{_html_escape(s["text"])}</p>' for s in footer)}</div>
</body></html>
"""
    chrome = crumb + meta + tools + share + footer + [{**nav[0], "text": w} for w in entries]
    return Rendered(page.encode(encoding), ".html", charset, title, list(record.body), chrome)


def render_fanwen(rng: random.Random, fill: Filler, record: Record) -> Rendered:
    """A 范文-site copy: ads at the top, between paragraphs and at the bottom."""
    title = shown_title(rng, record)
    top: list[str | dict] = []
    for _ in range(rng.randint(1, 3)):
        top += fill.draw("ad", "top", "any")
    under: list[str | dict] = fill.draw("ad", "top") if rng.random() < 0.4 else []
    body = interleave(rng, record.body, (5, 14), lambda: fill.draw("ad", "mid", "any"))
    bottom: list[str | dict] = []
    for _ in range(rng.randint(2, 4)):
        bottom += fill.draw("ad", "bottom", "any")
    items = top + [title] + under + body + bottom
    encoding = rng.choice(["utf-8", "utf-8", "utf-8", "gb18030"])
    return Rendered(encode_text(join_lines(items), encoding, rng), ".txt", encoding, title,
                    list(record.body), chrome_of(items))


def render_docx(rng: random.Random, fill: Filler, record: Record) -> Rendered:
    """A Word file from a 文库 site: ad paragraphs in the header, footer and around the body."""
    import docx

    title = shown_title(rng, record)
    document = docx.Document()
    section = document.sections[0]
    header_ads = fill.draw("ad", "top", "any")
    footer_ads = fill.draw("ad", "mid", "bottom")
    section.header.paragraphs[0].text = header_ads[0]["text"]
    section.footer.paragraphs[0].text = footer_ads[0]["text"]
    first = fill.draw("ad", "any", "top")
    last = [line for _ in range(rng.randint(1, 3)) for line in fill.draw("ad", "bottom", "any")]
    for ad in first:
        document.add_paragraph(ad["text"])
    if rng.random() < 0.5:
        document.add_heading(title, level=1)
    else:
        run = document.add_paragraph().add_run(title)
        run.bold = True
    middle = interleave(rng, record.body, (10, 30), lambda: fill.draw("ad", "mid"))
    for item in middle:
        document.add_paragraph(item["text"] if isinstance(item, dict) else item)
    for ad in last:
        document.add_paragraph(ad["text"])
    buffer = io.BytesIO()
    document.save(buffer)
    chrome = header_ads[:1] + footer_ads[:1] + first + chrome_of(middle) + last
    return Rendered(buffer.getvalue(), ".docx", "docx", title, list(record.body), chrome)


S2T = opencc.OpenCC("s2t")
S2TW = opencc.OpenCC("s2tw")


def plant_pinyin(rng: random.Random, text: str, table: dict[str, str], rate: float) -> tuple[str, list[str]]:
    """Tone-marked readings after some listed characters, as some sites print them."""
    out, notes = [], []
    for i, ch in enumerate(text):
        out.append(ch)
        following = text[i + 1] if i + 1 < len(text) else ""
        if ch in table and following not in "(（" and rng.random() < rate:
            note = f"({table[ch]})" if rng.random() < 0.8 else f"（{table[ch]}）"
            out.append(note)
            notes.append(ch + note)
    return "".join(out), notes


def render_traditional(rng: random.Random, fill: Filler, record: Record) -> Rendered:
    """Traditional characters, with tone-marked pinyin notes (UTF-8) or without (Big5)."""
    with_notes = rng.random() < 0.6
    # Taiwan forms (為, not OpenCC's 爲) for a Big5 file: Big5 holds those.
    convert = (S2T if with_notes else S2TW).convert
    title = convert(shown_title(rng, record))
    body = [convert(p) for p in record.body]
    ads = [{**a, "text": convert(a["text"])} for a in fill.draw("ad", "top", "any")]
    tail = [{**a, "text": convert(a["text"])} for a in fill.draw("ad", "bottom", "any")]
    lines, notes = [], []
    for para in body:
        if with_notes:
            para, planted = plant_pinyin(rng, para, fill.pools.pinyin, rng.uniform(0.05, 0.2))
            notes.extend(planted)
        lines.append(para)
    items = join_lines(ads) + [title] + lines + join_lines(tail)
    encoding = "utf-8"
    if not with_notes:
        try:
            "\n".join(items).encode("big5")
            encoding = "big5"
        except UnicodeEncodeError:
            encoding = "utf-8"
    return Rendered(encode_text(items, encoding, rng), ".txt", encoding, title, body, ads + tail, notes)


def garble(para: str, rng: random.Random) -> tuple[str, dict] | None:
    """One GBK byte-shift garble: a stray byte before a run, read back as GB18030.

    The shift lasts until an ASCII byte realigns the bytes (or the line ends); the
    character before that byte loses its partner unless the byte is a valid trail byte.
    """
    if len(para) < 12:
        return None
    ends = [i for i, ch in enumerate(para) if ch < "\x80"] + [len(para)]
    end = rng.choice([e for e in ends if e >= 8] or [len(para)])
    start = max(0, end - rng.randint(6, 22))
    if any(ch < "\x80" for ch in para[start:end]):
        return None
    stray = bytes([rng.choice([0xA1, 0xB0, 0xB6, 0xC8, 0xD6, 0x81, 0xE3, 0xFE])])
    raw = para[:start].encode("gb18030") + stray + para[start:].encode("gb18030")
    decoded = raw.decode("gb18030", errors="replace")
    suffix = 0
    while suffix < min(len(decoded), len(para)) - start and decoded[-1 - suffix] == para[-1 - suffix]:
        suffix += 1
    correct, garbled = para[start:len(para) - suffix], decoded[start:len(decoded) - suffix]
    if garbled == correct or len(correct) < 5:
        return None
    recoverable = correct if "\ufffd" not in garbled else correct[:-1]
    return decoded, {"correct": correct, "garbled": garbled, "recoverable": recoverable,
                     "before": para[max(0, start - 8):start]}


def render_gbk_garble(rng: random.Random, fill: Filler, record: Record) -> Rendered:
    """A GB18030 file holding a few misaligned-GBK runs (what a mis-decoded copy saved)."""
    title = shown_title(rng, record)
    body = list(record.body)
    garbles = []
    candidates = [i for i, p in enumerate(body) if len(p) >= 12]
    for i in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
        result = garble(body[i], rng)
        if result:
            body[i], info = result
            garbles.append({**info, "paragraph": i})
    ads = fill.draw("ad", "top", "any") if rng.random() < 0.6 else []
    tail = fill.draw("ad", "bottom") if rng.random() < 0.6 else []
    items = join_lines(ads) + [title] + body + join_lines(tail)
    clean = [p for i, p in enumerate(record.body) if i not in {g["paragraph"] for g in garbles}]
    return Rendered(encode_text(items, "gb18030", rng), ".txt", "gb18030", title, clean, ads + tail,
                    garbles=garbles)


def wrap(para: str, width: int, rng: random.Random) -> list[str]:
    """Hard-wrap at a fixed width (so words break: 意识\\n形态), sometimes right before 年."""
    year = re.search(r"\d{4}(?=年)", para)
    cut = year.end() if year and rng.random() < 0.5 else None
    lines, pos = [], 0
    while pos < len(para):
        stop = pos + width
        if cut is not None and pos < cut < stop:
            stop = cut
        lines.append(para[pos:stop])
        pos = stop
    return lines


def space_inside(para: str, rng: random.Random) -> str:
    """A stray space between two Han characters, as PDF copies have."""
    spots = [i for i in range(1, len(para)) if "\u4e00" <= para[i - 1] <= "\u9fff" and "\u4e00" <= para[i] <= "\u9fff"]
    for i in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 2))), reverse=True):
        para = para[:i] + " " + para[i:]
    return para


def render_layout(rng: random.Random, fill: Filler, record: Record) -> Rendered:
    """Print-layout damage: hard wraps inside words, page numbers inside sentences, spaces."""
    title = shown_title(rng, record)
    width = rng.randint(22, 38)
    indent = rng.random() < 0.6
    lines: list[str | dict] = [title]
    every = rng.randint(18, 34)
    count = 0
    damage = []
    for para in record.body:
        if rng.random() < 0.2:
            para = space_inside(para, rng)
            damage.append("space")
        for j, piece in enumerate(wrap(("　　" if indent else "") + para, width, rng)):
            lines.append(piece)
            count += 1
            if count % every == 0:
                lines.extend(fill.draw("chrome", "pagenum"))
                damage.append("page number inside a paragraph" if j else "page number")
    lines.extend(fill.draw("chrome", "pagenum"))
    encoding = rng.choice(["utf-8", "gb18030"])
    text_lines = join_lines(lines)
    data = ("\n".join(text_lines) + "\n").encode(encoding)
    return Rendered(data, ".txt", encoding, title, list(record.body), chrome_of(lines), layout=damage)


RENDERERS: dict[str, Callable[[random.Random, Filler, Record], Rendered]] = {
    "gov_page": render_gov_page, "html": render_html, "fanwen": render_fanwen, "docx": render_docx,
    "traditional": render_traditional, "gbk_garble": render_gbk_garble, "layout": render_layout,
}


def title_variants(record: Record, shown: str) -> list[str]:
    """Titles that count as right: the record's, the one shown, without a column tag."""
    variants = [record.title, shown]
    untagged = re.sub(r"^【[^】]{1,20}】", "", record.title)
    if untagged != record.title:
        variants.append(untagged)
    return list(dict.fromkeys(variants))


def used_records(sets: list[Path]) -> set[tuple[str, str]]:
    """(source, record id) of every file of earlier sets, so a fresh set draws other records."""
    used = set()
    for folder in sets:
        for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            used.add((entry["source"], entry["record_id"]))
    return used


def write_set(out: Path, corpora: Path, n: int, seed: int, fresh: Path | None = None,
              exclude: list[Path] | None = None, burned: tuple[Path, ...] = ()) -> list[dict]:
    """Render n records into out/<split>/<form>/ and write out/labels.jsonl."""
    records = load_records(corpora)
    used = used_records(exclude or [])
    records = {source: [r for r in rs if (r.source, r.record_id) not in used] for source, rs in records.items()}
    records = select(records, n, seed)
    pools = {split: load_pools(split, fresh, burned) for split in SPLITS}
    rng = random.Random(seed)
    labels = []
    by_split: dict[str, list[Record]] = {s: [r for r in records if r.split == s] for s in SPLITS}
    for split, members in by_split.items():
        for i, record in enumerate(members):
            form = FORMS[i % len(FORMS)]
            doc_rng = random.Random(f"{seed}:{record.source}:{record.record_id}")
            rendered = RENDERERS[form](doc_rng, Filler(doc_rng, pools[split], record), record)
            digest = hashlib.sha256(f"{record.source}:{record.record_id}".encode()).hexdigest()[:16]
            rel = Path(split) / form / f"{i:03d}_{digest}{rendered.ext}"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(rendered.data)
            labels.append({
                "path": rel.as_posix(), "split": split, "form": form, "source": record.source,
                "record_id": record.record_id, "encoding": rendered.encoding,
                "labels": {"level": record.level, "province": record.province, "year": record.year,
                           "title": record.title},
                "title_ok": title_variants(record, rendered.shown_title),
                "chrome": rendered.chrome, "body": rendered.body,
                "pinyin_notes": len(rendered.pinyin), "pinyin": rendered.pinyin,
                "garbles": rendered.garbles, "layout": rendered.layout,
            })
    rng.shuffle(labels)
    labels.sort(key=lambda entry: entry["path"])
    with open(out / "labels.jsonl", "w", encoding="utf-8") as handle:
        for entry in labels:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", type=Path, default=None,
                        help="a folder of new ads.txt/chrome.txt: the test half uses only its hash half "
                             "of these, the tune half the other half and every older wording")
    parser.add_argument("--burned", type=Path, action="append", default=[],
                        help="an earlier --fresh folder whose test half was reported: all its wordings "
                             "join the tune half (repeatable)")
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="an earlier set's folder whose records are not drawn again (repeatable)")
    args = parser.parse_args(argv)
    for folder in args.exclude:
        if not (folder / "labels.jsonl").exists():
            parser.error(f"--exclude {folder}: no labels.jsonl there; give a folder made by this script")
    if args.fresh and not all((args.fresh / name).exists() for name in ("ads.txt", "chrome.txt")):
        parser.error(f"--fresh {args.fresh}: needs ads.txt and chrome.txt in that folder")
    if (args.out / "labels.jsonl").exists():
        parser.error(f"{args.out} already holds a set; give an empty folder")
    args.out.mkdir(parents=True, exist_ok=True)
    labels = write_set(args.out, args.corpora, args.n, args.seed, args.fresh, args.exclude, tuple(args.burned))
    counts: dict[str, int] = {}
    for entry in labels:
        counts[f"{entry['split']}/{entry['form']}"] = counts.get(f"{entry['split']}/{entry['form']}", 0) + 1
    print(f"{len(labels)} files in {args.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
