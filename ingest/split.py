"""Splitting a file that holds several reports into parts (thin: one part)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Part:
    text: str
    title_hint: str | None = None


def split_reports(text: str, title_hint: str | None = None) -> list[Part]:
    return [Part(text=text, title_hint=title_hint)]
