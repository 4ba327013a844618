"""Words a regular expression cannot match without: a cheap test before running it.

Running forty rules over every document costs more than all other steps
together, yet most rules need a word (范文, 会员, 当前位置) that most documents
lack, and `word in text` is far faster than a regex scan. The words are read
from the parsed pattern (re's own parser); if it cannot tell, the rule runs.
"""

from __future__ import annotations

import re
from re import _constants as c  # the parser's node types
from re import _parser as parser  # re's own parser; a shape it does not know means "no prefilter"

_Words = frozenset[str] | None


def required_words(pattern: str) -> _Words:
    """Strings of which any match must contain at least one, or None when unknown."""
    try:
        parsed = parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:  # (?i) for the whole pattern: its words are of any case
            return None
        return _sequence(list(parsed))
    except Exception:  # an unexpected parse tree: no prefilter, the rule always runs
        return None


def _better(a: _Words, b: _Words) -> _Words:
    """The more selective of two requirements: the one whose shortest word is longer."""
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _sequence(items: list) -> _Words:
    best: _Words = None
    run: list[str] = []
    for op, arg in items + [(None, None)]:
        if op is c.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if op is c.SUBPATTERN:
            if not arg[1] & re.IGNORECASE:  # a (?i:app) group needs no word of one case
                best = _better(best, _sequence(list(arg[-1])))
        elif op is c.BRANCH:
            branches = [_sequence(list(branch)) for branch in arg[1]]
            if all(branches):
                best = _better(best, frozenset().union(*branches))
        elif op is c.ASSERT:  # a positive lookahead or lookbehind must match too: its words are needed
            best = _better(best, _sequence(list(arg[1])))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
            best = _better(best, _sequence(list(arg[2])))
    return best


class WordFinder:
    """Finds, in one regex pass, which of many words occur in a text."""

    def __init__(self, words: set[str]) -> None:
        ordered = sorted(words, key=len, reverse=True)
        # A lookahead finds a word at every position, even inside or across another;
        # at one position only the longest is reported, so add the words inside it.
        # The leading class of first characters lets re skip other positions fast.
        firsts = "".join(sorted({re.escape(w[0]) for w in ordered}))
        alternatives = "|".join(map(re.escape, ordered))
        self._pattern = re.compile(f"(?=[{firsts}])(?=({alternatives}))") if ordered else None
        self._inside = {w: frozenset(v for v in ordered if v in w) for w in ordered}

    def present(self, text: str) -> frozenset[str]:
        if self._pattern is None:
            return frozenset()
        found = set(self._pattern.findall(text))
        return frozenset().union(*(self._inside[w] for w in found))


def may_match(words: _Words, present: frozenset[str]) -> bool:
    """Whether a rule needing `words` can match a text holding the `present` words."""
    return words is None or not words.isdisjoint(present)
