"""Example cases shipped with the package, one per built-in policy (`examples/<policy>.json`)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def example_texts() -> dict[str, str]:
    """The JSON text of every example case, by policy id."""
    folder = resources.files("kaoping.scoring") / "examples"
    return {
        entry.name.removesuffix(".json"): entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    }
