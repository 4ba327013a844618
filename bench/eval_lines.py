"""Score the cleaner line by line on a pool of wordings it was not written from.

bench/eval_data/lines.tsv holds chrome and advertising lines by kind (toolbar, meta,
caption, paywall, spam, …) and report lines that look alike (微信公众号, 下载量, 积分制管理),
written by someone who had not seen the rules. Each line is put at the head, in the middle
and at the tail of a short report and the whole text goes through ingest.normalize; a chrome
line must be gone from all three places, a report line kept in all three.

    .venv/bin/python bench/eval_lines.py [--pool bench/eval_data/lines.tsv] [--split tune|test|all] [--show]

bench/eval_data/lines2.tsv is a second pool of the same kind, weighted to chrome found between
paragraphs (page-break stamps, bylines, captions, interface text, footers, export artefacts).

Rows are split by make_eval_set.stable_split of the row: write rules from `tune`, report `test`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_eval_set import stable_split  # noqa: E402

from archive.fold import fold  # noqa: E402
from ingest.normalize import normalize  # noqa: E402

POOL = Path(__file__).resolve().parent / "eval_data" / "lines.tsv"
TITLE = "县委宣传部2021年工作总结"
PROSE = ("今年以来，县委宣传部坚持以习近平新时代中国特色社会主义思想为指导，围绕中心、服务大局，扎实推进各项工作。",
         "全年共组织理论宣讲活动320场次，覆盖干部群众2.6万人次，进一步巩固了共同思想基础。")
PLACES = ("head", "mid", "tail")


def read_pool(split: str, pool: Path = POOL) -> list[tuple[str, str]]:
    rows = []
    for row in pool.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        if split == "all" or stable_split(row) == split:
            kind, line = row.split("\t", 1)
            rows.append((kind, line))
    return rows


def _squash(text: str) -> str:
    return "".join(fold(text).split())


def kept_at(line: str, place: str) -> bool:
    """Whether `line` survives normalization at `place` in a short report."""
    parts = {"head": [line, TITLE, *PROSE], "mid": [TITLE, PROSE[0], line, PROSE[1]],
             "tail": [TITLE, *PROSE, line]}[place]
    out = normalize("\n".join(parts)).text
    key = _squash(line)
    return any(_squash(kept) == key for kept in out.split("\n")) or (len(key) > 6 and key in _squash(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pool", type=Path, default=POOL)
    parser.add_argument("--split", choices=("tune", "test", "all"), default="test")
    parser.add_argument("--show", action="store_true", help="print every line scored wrong")
    args = parser.parse_args()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = []
    for kind, line in read_pool(args.split, args.pool):
        for place in PLACES:
            kept = kept_at(line, place)
            ok = kept if kind == "report" else not kept
            total[kind] += 1
            right[kind] += ok
            if not ok:
                wrong.append((kind, place, line))
    print(f"## {args.pool.name}, split {args.split}\n\n| kind | right |\n|---|---|")
    for kind in sorted(total, key=lambda k: (k == "report", k)):
        print(f"| {kind} | {right[kind]}/{total[kind]} {right[kind] / total[kind]:.0%} |")
    chrome = [k for k in total if k != "report"]
    got, of = sum(right[k] for k in chrome), sum(total[k] for k in chrome)
    print(f"| **chrome and ads removed** | {got}/{of} {got / of:.1%} |")
    if "report" in total:
        print(f"| **report lines kept** | {right['report']}/{total['report']} {right['report'] / total['report']:.1%} |")
    if args.show:
        for kind, place, line in wrong:
            print(f"  - {kind} at {place}: {line}")


if __name__ == "__main__":
    main()
