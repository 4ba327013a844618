"""UI labels in Chinese (default) and English, chosen by the `lang` URL parameter."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from flask import Flask, request

LANGS = ("zh", "en")


@functools.cache
def labels() -> dict[str, dict[str, str]]:
    return json.loads((Path(__file__).parent / "labels.json").read_text(encoding="utf-8"))


def current_lang() -> str:
    lang = request.args.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def translate(key: str, **values: object) -> str:
    table = labels()[current_lang()]
    text = table.get(key, labels()["zh"].get(key, key))
    return text.format(**values) if values else text


def register(app: Flask) -> None:
    app.jinja_env.globals.update(t=translate, current_lang=current_lang)
