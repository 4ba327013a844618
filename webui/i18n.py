"""UI labels in Chinese (default) and English, chosen by the `lang` URL parameter.

Evidence rules are English phrases made by the facet extractors, some with a
part filled in ("unit votes (title)", "contains 通山县"): labels.json holds them
as templates (`rule:unit votes ({0})`), the filled-in parts looked up as `role:…`.
A rule without a label is shown as it is.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from flask import Flask, g, request

LANGS = ("zh", "en")


@functools.cache
def labels() -> dict[str, dict[str, str]]:
    return json.loads((Path(__file__).parent / "labels.json").read_text(encoding="utf-8"))


def current_lang() -> str:
    """The request's language, looked up once per request (a page asks hundreds of times)."""
    if "lang" not in g:
        lang = request.args.get("lang", "zh")
        g.lang = lang if lang in LANGS else "zh"
    return g.lang


def translate(key: str, **values: object) -> str:
    table = labels()[current_lang()]
    text = table.get(key, labels()["zh"].get(key, key))
    return text.format(**values) if values else text


def value_label(facet: str, value: str) -> str:
    """A facet value as shown: anonymized's true/false in words, the rest as they are."""
    return translate(str(value).lower()) if facet == "anonymized" else str(value)


@functools.cache
def _rule_templates(lang: str) -> list[tuple[re.Pattern[str], str]]:
    """(pattern of a rule template, its label), the most specific (longest fixed text) first."""
    out = []
    for key, text in labels()[lang].items():
        if key.startswith("rule:"):
            pieces = re.split(r"\{\d\}", key[5:])
            out.append((re.compile("^" + "(.+?)".join(map(re.escape, pieces)) + "$"), text, len("".join(pieces))))
    return [(pattern, text) for pattern, text, _ in sorted(out, key=lambda item: -item[2])]


def rule_label(rule: str) -> str:
    """The evidence rule in the page's language."""
    table = labels()[current_lang()]
    for pattern, text in _rule_templates(current_lang()):
        match = pattern.match(rule)
        if match:
            return text.format(*(table.get(f"role:{part}", part) for part in match.groups()))
    return rule


def register(app: Flask) -> None:
    app.jinja_env.globals.update(t=translate, current_lang=current_lang, rule_label=rule_label,
                                 value_label=value_label)
