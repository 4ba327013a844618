"""A learned reading of short lines: how much a line looks like page chrome or advertising.

The scored features of adlines.py are words someone thought of; a site's next wording uses
others. This model is a logistic regression over the characters, character pairs and triples of a
line (digits read as 0, Latin letters as a, so QQ 274990872 and QQ 10086 look alike, and
the line's start and end marked) and over its outline (classes of characters, so the names in
a credit line do not matter), trained by bench/train_line_model.py on chrome and ad
wordings of the tune half of bench/eval_data against lines of real laws, regulations and
news (tune records only). It is one more witness: adlines.is_ad asks it only about short,
unprotected lines and wants it very sure. data/line_model.json holds the weights.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from archive.config import data_file
from archive.fold import fold
from ingest.normalize.lines import HAN_CHAR

MODEL_FILE = "line_model.json"
_DIGITS = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
_SPACE = re.compile(r"\s+")
_LENGTH_STEP = 8
_LONG_HAN_RUN = re.compile("H{4,}")


def shape(line: str) -> str:
    """The line as the model reads it: folded, spaces squeezed, digits 0, Latin letters a."""
    return _LATIN.sub("a", _DIGITS.sub("0", _SPACE.sub(" ", fold(line).strip())))


def _char_class(char: str) -> str:
    if HAN_CHAR.match(char):
        return "H"
    if char in "0a":
        return char
    return "_" if char.isspace() else "p"


def outline(shaped: str) -> str:
    """A shaped line (shape()) as classes of characters (H Chinese, 0 digit, a Latin, p punctuation,
    _ space), runs of four or more H cut to HHHH: 审核：朱琳  校对：黄丽 and 出镜：高婷 摄像：陈静 look
    alike, whatever the names."""
    return _LONG_HAN_RUN.sub("HHHH", "".join(_char_class(c) for c in shaped))


def features(line: str) -> list[str]:
    """Characters, pairs and triples of characters of the shaped line, its start and end marked,
    its length, and runs of four of its outline (the names and numbers of a wording change, its
    outline less)."""
    shaped = shape(line)
    text = f"^{shaped}$"
    grams = {text[i:i + 2] for i in range(len(text) - 1)}
    grams.update(text[i:i + 3] for i in range(len(text) - 2))
    grams.update(c for c in text[1:-1] if not c.isspace())
    grams.add(f"#len{min(len(text) // _LENGTH_STEP, 10)}")
    classes = f"^{outline(shaped)}$"
    grams.update(f"#o{classes[i:i + 4]}" for i in range(len(classes) - 3))
    return sorted(grams)


@dataclass(frozen=True)
class LineModel:
    weights: dict[str, float]
    bias: float

    def probability(self, line: str) -> float:
        """How sure the model is that `line` is chrome or advertising, 0..1."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features(line))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        ordered = {k: round(v, 3) for k, v in sorted(self.weights.items())}
        return json.dumps({"bias": round(self.bias, 4), "weights": ordered}, ensure_ascii=False, indent=0)


@functools.cache
def model() -> LineModel | None:
    """data/line_model.json, or None when the project has no trained model."""
    path = data_file(MODEL_FILE)
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return LineModel(weights=raw["weights"], bias=raw["bias"])


def train(positives: Iterable[str], negatives: Iterable[str], epochs: int = 8, rate: float = 0.3,
          l2: float = 1e-5, prune: float = 0.05, seed: int = 1) -> LineModel:
    """Logistic regression by Adagrad, both classes weighted equally; tiny weights pruned."""
    rows = [(features(line), 1.0) for line in positives] + [(features(line), 0.0) for line in negatives]
    n_pos = sum(1 for _, y in rows if y)
    n_neg = len(rows) - n_pos
    if not n_pos or not n_neg:
        raise ValueError("training needs lines of both kinds")
    class_weight = {1.0: len(rows) / (2 * n_pos), 0.0: len(rows) / (2 * n_neg)}
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    bias, bias_square = 0.0, 1e-8
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(rows)
        for feats, y in rows:
            z = bias + sum(weights.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = (p - y) * class_weight[y]
            bias_square += g * g
            bias -= rate * g / math.sqrt(bias_square)
            for f in feats:
                w = weights.get(f, 0.0)
                grad = g + l2 * w
                squares[f] = squares.get(f, 1e-8) + grad * grad
                weights[f] = w - rate * grad / math.sqrt(squares[f])
    return LineModel({f: w for f, w in weights.items() if abs(w) >= prune}, bias)
