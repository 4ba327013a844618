"""Train data/line_model.json, the learned witness of ingest/normalize/adlines.py.

Chrome and advertising: every wording a tune document of `make_eval_set.py --fresh
bench/eval_data/fresh6 --burned bench/eval_data/fresh … --burned bench/eval_data/fresh5` may show
(all older wordings of ads.txt, chrome.txt and fresh/-fresh5/, whose test halves were reported
and studied, and the tune half of fresh6/), filled many times
with tune fillers, and every row of the pools lines.tsv-lines4.tsv that is not a report (their
test halves were reported too). Not chrome: lines of the tune records of the real corpora
(laws, regulations, 新闻联播 stories; only weights leave this script, never their text) and the
report rows of those pools. Nothing of the fresh wordings' test half is read, so
bench/eval_ingest.py --split test on a --fresh set stays held out.

    .venv/bin/python bench/train_line_model.py [--corpora ../shared/corpora] [--fills 12] [--max-negatives 60000]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_lines import POOL, read_pool  # noqa: E402
from make_eval_set import DEFAULT_CORPORA, Filler, load_pools, load_records  # noqa: E402

from archive.config import data_file  # noqa: E402
from ingest.normalize.line_model import MODEL_FILE, train  # noqa: E402

POOLS = tuple(POOL.with_name(name) for name in ("lines.tsv", "lines2.tsv", "lines3.tsv", "lines4.tsv"))
# The held-out wordings of the latest fresh set, and the earlier fresh folders (reported: tuning data).
FRESH = Path(__file__).resolve().parent / "eval_data" / "fresh6"
BURNED = tuple(Path(__file__).resolve().parent / "eval_data" / name for name in ("fresh", "fresh2", "fresh3", "fresh4", "fresh5"))
MAX_LINE = 120  # the model is asked about short lines only
LONG_SHARE = 0.1  # some long lines too, so length is not all it learns


def chrome_lines(records: list, fills: int, rng: random.Random) -> list[str]:
    pools = load_pools("tune", FRESH, BURNED)
    out = []
    for templates in pools.templates.values():
        for template in templates:
            for _ in range(fills):
                filler = Filler(rng, pools, rng.choice(records))
                out += [line["text"] for line in filler.lines(template) if line["text"].strip()]
    out += [line for pool in POOLS for kind, line in read_pool("all", pool) if kind != "report"]
    return out


def corpus_lines(records: list, limit: int, rng: random.Random) -> list[str]:
    lines = [line for r in records for line in [r.title, *r.body]
             if len(line) <= MAX_LINE or rng.random() < LONG_SHARE]
    rng.shuffle(lines)
    return lines[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--fills", type=int, default=12, help="fillings of each tune wording")
    parser.add_argument("--max-negatives", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(1)
    records = [r for source in load_records(args.corpora).values() for r in source if r.split == "tune"]
    positives = chrome_lines(records, args.fills, rng)
    reports = [line for pool in POOLS for kind, line in read_pool("all", pool) if kind == "report"]
    negatives = corpus_lines(records, args.max_negatives, rng) + reports * 20
    model = train(positives, negatives, epochs=args.epochs)
    data_file(MODEL_FILE).write_text(model.to_json() + "\n", encoding="utf-8")
    wrong_pos = sum(model.probability(line) < 0.5 for line in positives)
    wrong_neg = sum(model.probability(line) >= 0.5 for line in negatives)
    print(f"{len(positives)} chrome lines, {len(negatives)} other lines, {len(model.weights)} weights kept")
    print(f"on its own training lines: chrome missed {wrong_pos}, others taken {wrong_neg}")


if __name__ == "__main__":
    main()
