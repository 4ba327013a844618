"""The query language: phrases, words, OR, NOT, grouping, proximity, fields.

    新时代文明实践                 a literal (bare words: all must occur)
    "意识形态 工作"                a quoted phrase (spaces inside are ignored)
    疫情 OR 防疫                   either
    -扫黄 / NOT 扫黄               must not occur (also -"意识形态 工作", -(疫情 OR 防疫))
    (文明城市 OR 文明村) 志愿       grouping
    "文明 实践"~5                 parts in this order, at most 5 characters apart
    level:县 year:2019-2021 province:湖北省 county:通山县 theme:意识形态   (or level：县, as an IME types it)
    doctype:工作总结 organization:县委宣传部 title:汇报

Every literal is matched exactly, character for character, on the folded
text (see archive.fold): matching never depends on word segmentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.fold import fold

FIELDS = {
    "level": "level", "province": "province", "city": "city", "county": "county",
    "town": "town", "year": "year", "theme": "themes", "themes": "themes",
    "doctype": "doctype", "organization": "organization", "org": "organization",
    "source": "source", "title": "title", "anonymized": "anonymized",
}
MAX_QUERY_CHARS = 2000
MAX_TERMS = 64
MAX_DEPTH = 32  # parentheses and negations inside each other (the parser recurses once per level)
MAX_DISTANCE = 1000  # of a proximity query, in characters


class QueryError(ValueError):
    """A query that cannot be parsed; the message says what is wrong."""


@dataclass(frozen=True)
class Literal:
    text: str  # folded

@dataclass(frozen=True)
class Near:
    parts: tuple[str, ...]  # folded
    distance: int

@dataclass(frozen=True)
class FieldTerm:
    field: str
    value: str  # folded; for year: "2019" or "2019-2021"

@dataclass(frozen=True)
class And:
    children: tuple

@dataclass(frozen=True)
class Or:
    children: tuple

@dataclass(frozen=True)
class Not:
    child: object

@dataclass(frozen=True)
class MatchAll:
    pass


Node = Literal | Near | FieldTerm | And | Or | Not | MatchAll

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<lparen>[(（])
  | (?P<rparen>[)）])
  | (?P<field>-?[A-Za-z_]+[:：])(?P<fvalue>"[^"]*"|“[^”]*”|[^\s()（）]+)
  | (?P<quoted>(?:"[^"]*"|“[^”]*”))(?:~(?P<slop>\d+))?
  | (?P<openquote>["“])
  | (?P<word>[^\s()（）"“]+)
""", re.VERBOSE)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        assert match  # the word alternative matches anything else
        kind = match.lastgroup
        if kind == "openquote":
            raise QueryError(f"引号未闭合 / unclosed quote at character {pos + 1}: add the closing \"")
        if kind == "slop" or kind == "fvalue":
            kind = "quoted" if kind == "slop" else "field"
        if kind != "ws":
            tokens.append((kind, match.group(0), pos))
        pos = match.end()
    return tokens


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] in "\"“" and value[-1] in "\"”":
        return value[1:-1]
    return value


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.terms = 0
        self.depth = 0

    def nested(self, pos: int) -> None:
        """One more level of parentheses or negation; a query may not nest without bound."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"检索式嵌套过深 / the query nests parentheses and NOT more than {MAX_DEPTH} levels "
                             f"deep at character {pos + 1}")

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.and_expr()
        if self.peek():
            _, text, pos = self.peek()
            raise QueryError(f"多余的 '{text}' / unexpected '{text}' at character {pos + 1}: a ')' without its '('")
        return node

    def at_or(self) -> bool:
        tok = self.peek()
        return bool(tok and tok[0] == "word" and tok[1] in ("OR", "|"))

    def and_expr(self) -> Node:
        """Juxtaposed terms, all required (AND may be written)."""
        children = []
        while (tok := self.peek()) and tok[0] != "rparen":
            if tok[0] == "word" and tok[1] in ("AND", "&"):
                self.i += 1
                continue
            if self.at_or():
                raise QueryError(f"OR 前缺少检索词 / OR at character {tok[2] + 1} needs a term before it")
            children.append(self.or_expr())
        if not children:
            tok = self.peek()
            if tok:
                raise QueryError(f"多余的 ')' 或空括号 / empty group or unmatched ')' at character {tok[2] + 1}")
            raise QueryError("缺少检索词 / a term is missing at the end")
        return children[0] if len(children) == 1 else And(tuple(children))

    def or_expr(self) -> Node:
        """OR binds tighter than juxtaposition: a b OR c = a AND (b OR c)."""
        children = [self.unary()]
        while self.at_or():
            _, _, pos = self.peek()
            self.i += 1
            if not self.peek() or self.peek()[0] == "rparen" or self.at_or():
                raise QueryError(f"OR 后缺少检索词 / OR at character {pos + 1} needs a term after it")
            children.append(self.unary())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def unary(self) -> Node:
        kind, text, pos = self.peek()
        if kind == "word" and text == "NOT":
            self.i += 1
            if not self.peek() or self.peek()[0] == "rparen":
                raise QueryError(f"NOT 后缺少检索词 / NOT at character {pos + 1} needs a term after it")
            return self.negated(pos)
        if kind == "word" and text.startswith("-") and len(text) > 1:
            self.tokens[self.i] = ("word", text[1:], pos + 1)
            return self.negated(pos)
        if kind == "word" and text in ("-", "－") and self._next_is_attached(pos):
            self.i += 1  # -"意识形态 工作", -(疫情 OR 防疫): the sign belongs to what follows it
            return self.negated(pos)
        if kind == "field" and text.startswith("-"):
            self.tokens[self.i] = ("field", text[1:], pos + 1)
            return self.negated(pos)
        return self.primary()

    def _next_is_attached(self, pos: int) -> bool:
        """Whether the token after a lone minus starts right after it and is a phrase or a group."""
        following = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        return following is not None and following[2] == pos + 1 and following[0] in ("quoted", "lparen")

    def negated(self, pos: int) -> Node:
        self.nested(pos)
        node = Not(self.unary())
        self.depth -= 1
        return node

    def primary(self) -> Node:
        kind, text, pos = self.peek()
        self.i += 1
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(f"检索词过多 / too many terms (at most {MAX_TERMS})")
        if kind == "lparen":
            self.nested(pos)
            node = self.and_expr()
            if not self.peek() or self.peek()[0] != "rparen":
                raise QueryError(f"括号未闭合 / the '(' at character {pos + 1} is never closed")
            self.i += 1
            self.depth -= 1
            return node
        if kind == "field":
            return self.field(text, pos)
        if kind == "quoted":
            return self.quoted(text, pos)
        if kind == "rparen":
            raise QueryError(f"多余的 ')' / a ')' at character {pos + 1} without its '('")
        return self.literal(text, pos)

    def literal(self, text: str, pos: int) -> Node:
        folded = fold(text)
        if not folded:
            raise QueryError(f"检索词为空 / empty term at character {pos + 1}")
        return Literal(folded)

    def quoted(self, text: str, pos: int) -> Node:
        body, _, slop = text.rpartition("~") if re.search(r"~\d+$", text) else (text, "", "")
        inner = _unquote(body)
        if slop:
            parts = tuple(p for p in (fold(x) for x in inner.split()) if p)
            if len(parts) < 2:
                raise QueryError(f"邻近检索需要至少两个词 / proximity at character {pos + 1} needs two or more words in the quotes")
            if int(slop) > MAX_DISTANCE:
                raise QueryError(f"邻近距离过大 / proximity at character {pos + 1}: ~{slop[:12]} is more than "
                                 f"{MAX_DISTANCE} characters apart; use a smaller distance or AND")
            return Near(parts, int(slop))
        folded = fold(inner)
        if not folded:
            raise QueryError(f"引号内为空 / empty quotes at character {pos + 1}")
        return Literal(folded)

    def field(self, text: str, pos: int) -> Node:
        name, colon, value = re.split(r"([:：])", text, maxsplit=1)
        key = FIELDS.get(name.lower())
        if key is None and colon == "：":
            return self.literal(text, pos)  # a full-width colon in the text itself (APP：下载), not a field
        if key is None:
            raise QueryError(f"未知字段 '{name}' / unknown field '{name}' at character {pos + 1}; "
                             f"known: {', '.join(sorted(set(FIELDS)))}; to search for the text itself, put it in quotes")
        value = _unquote(value).strip()
        if not value:
            raise QueryError(f"字段 {name} 缺少取值 / field '{name}' at character {pos + 1} has no value")
        if key == "year" and not parse_year_range(value):
            raise QueryError(f"年份格式错误 '{value}' / year must look like 2020 or 2019-2021")
        if key == "title":
            return FieldTerm("title", fold(value))
        return FieldTerm(key, fold(value))


def parse_year_range(value: str) -> tuple[int, int] | None:
    """'2020' → (2020, 2020); '2019-2021' → (2019, 2021); else None."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~至到]\s*(\d{4}))?\s*", value)
    if not match:
        return None
    lo = int(match.group(1))
    hi = int(match.group(2) or lo)
    return (min(lo, hi), max(lo, hi))


def parse(text: str) -> Node:
    """Parse a query; raises QueryError with a message a user can act on."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"检索式过长 / the query is {len(text)} characters; at most {MAX_QUERY_CHARS}")
    bad = _LONE_SURROGATE.search(text)
    if bad:
        raise QueryError(f"检索式含无效字符 / the query holds an invalid character (a lone surrogate, "
                         f"U+{ord(bad.group()):04X}) at character {bad.start() + 1}")
    return _Parser(_tokens(text)).parse()


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # not text: no index or segmenter can take it


def positive_literals(node: Node) -> list[str]:
    """Folded strings to highlight: literals and proximity parts not under NOT."""
    if isinstance(node, Literal):
        return [node.text]
    if isinstance(node, Near):
        return list(node.parts)
    if isinstance(node, FieldTerm) and node.field == "title":
        return []
    if isinstance(node, And | Or):
        return [t for c in node.children for t in positive_literals(c)]
    return []
