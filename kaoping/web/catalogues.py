"""The message catalogues (kaoping/locale/<lang>/LC_MESSAGES/django.po): read, check, fill.

Msgids are the Simplified Chinese (zh-Hans) text. The Traditional Chinese catalogue is made
from them with OpenCC; the English one is written by people. `scripts/i18n.sh` runs Django's
makemessages, then this module:

    python -m kaoping.web.catalogues fill-hant kaoping/locale/zh_Hant/LC_MESSAGES/django.po
    python -m kaoping.web.catalogues tidy kaoping/locale/en/LC_MESSAGES/django.po
    python -m kaoping.web.catalogues missing kaoping/locale/en/LC_MESSAGES/django.po

`fill-hant` converts every empty or fuzzy zh_Hant entry (a fuzzy one is msgmerge's guess from a
similar msgid, never right for a character conversion); entries a person wrote stay as they are.
`tidy` (and `fill-hant`) completes the header: not fuzzy, its Language and project set.
`missing` lists the entries a translator still has to write (empty or fuzzy) and exits 1 if any.

A small reader and writer of the PO format, enough for catalogues that makemessages writes (no
polib dependency): comments, flags, msgctxt, plurals, multi-line strings.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

OPENCC_CONFIG = "s2t"  # Simplified → Traditional (OpenCC's standard characters)


@dataclass
class Entry:
    """One message of a catalogue; `msgstr` holds msgstr, or msgstr[0], msgstr[1], … ."""

    comments: list[str] = field(default_factory=list)  # lines starting with '#', kept verbatim
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return any(line.startswith("#,") and "fuzzy" in line for line in self.comments)

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(text != "" for text in self.msgstr)

    def set_translation(self, texts: Sequence[str]) -> None:
        """Set the msgstr(s) and drop the fuzzy flag (and msgmerge's previous-msgid notes)."""
        self.msgstr = list(texts)
        kept = []
        for line in self.comments:
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            kept.append(line)
        self.comments = kept


HEADER_COMMENT = "# Kaoping (考评) message catalogue; msgids are the zh-Hans text."


def _unquote(text: str) -> str:
    value = ast.literal_eval(text.strip())
    if not isinstance(value, str):
        raise ValueError(f"not a PO string: {text!r}")
    return value


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header first, in file order."""
    entries: list[Entry] = []
    entry = Entry()
    started = False
    target: tuple[str, int] | None = None  # which string a continuation line extends

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            entry.comments.append(raw)
            started = True
            continue
        if line.startswith("#"):
            if started and target is not None:
                finish()
            entry.comments.append(raw)
            continue
        started = True
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}: string without a keyword: {raw!r}")
            name, index = target
            value = _unquote(line)
            if name == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif name == "msgid":
                entry.msgid += value
            elif name == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            else:
                entry.msgstr[index] += value
            continue
        keyword, _, rest = line.partition(" ")
        value = _unquote(rest)
        if keyword == "msgctxt":
            entry.msgctxt, target = value, ("msgctxt", 0)
        elif keyword == "msgid":
            entry.msgid, target = value, ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = value, ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.msgstr, target = [value], ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[len("msgstr[") : -1])
            if index == 0:
                entry.msgstr = []
            while len(entry.msgstr) <= index:
                entry.msgstr.append("")
            entry.msgstr[index] = value
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}: unknown line {raw!r}")
    finish()
    return entries


def write_po(path: Path, entries: Sequence[Entry]) -> None:
    """Write entries back (obsolete ones verbatim); strings on one line each."""
    blocks = []
    for entry in entries:
        if entry.obsolete:
            blocks.append("\n".join(entry.comments))
            continue
        lines = list(entry.comments)
        if entry.msgctxt is not None:
            lines.append(f"msgctxt {_quote(entry.msgctxt)}")
        if entry.is_header:
            lines.append('msgid ""')
            lines.append('msgstr ""')
            lines.extend(_quote(part) for part in entry.msgstr[0].splitlines(keepends=True))
        else:
            lines.append(f"msgid {_quote(entry.msgid)}")
            if entry.msgid_plural is not None:
                lines.append(f"msgid_plural {_quote(entry.msgid_plural)}")
                lines.extend(
                    f"msgstr[{index}] {_quote(text)}" for index, text in enumerate(entry.msgstr)
                )
            else:
                lines.append(f"msgstr {_quote(entry.msgstr[0])}")
        blocks.append("\n".join(lines))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def messages(entries: Sequence[Entry]) -> list[Entry]:
    """The real messages: no header, no obsolete entries."""
    return [e for e in entries if not e.is_header and not e.obsolete]


def fill(entries: Sequence[Entry], convert: Callable[[str], str]) -> int:
    """Translate each empty or fuzzy message with `convert` (all plural forms from the singular
    and the plural msgid); returns how many were filled."""
    filled = 0
    for entry in messages(entries):
        if entry.translated:
            continue
        if entry.msgid_plural is None:
            entry.set_translation([convert(entry.msgid)])
        else:
            forms = len(entry.msgstr) or 1
            texts = [convert(entry.msgid)] + [convert(entry.msgid_plural)] * (forms - 1)
            entry.set_translation(texts)
        filled += 1
    return filled


def tidy_header(entries: Sequence[Entry], language: str) -> None:
    """makemessages leaves xgettext's template header (fuzzy, placeholders): complete it."""
    header = next((e for e in entries if e.is_header), None)
    if header is None:
        return
    header.set_translation(header.msgstr)
    fields = {
        "Project-Id-Version": "kaoping",
        "Report-Msgid-Bugs-To": "",
        "Language-Team": language,
        "Language": language,
    }
    lines = []
    for line in header.msgstr[0].splitlines(keepends=True):
        name = line.split(":", 1)[0]
        if name in fields:
            line = f"{name}: {fields[name]}\n"
        lines.append(line)
    header.msgstr = ["".join(lines)]
    header.comments = [c for c in header.comments if not c.startswith("# SOME ")]
    header.comments = [c for c in header.comments if "YEAR" not in c and "PACKAGE" not in c]
    header.comments = [c for c in header.comments if c != HEADER_COMMENT]  # once, not per run
    header.comments.insert(0, HEADER_COMMENT)


def language_of(path: Path) -> str:
    """The language of a catalogue from its path: locale/<lang>/LC_MESSAGES/django.po."""
    return path.parent.parent.name


def opencc_converter(config: str = OPENCC_CONFIG) -> Callable[[str], str]:
    import opencc

    converter = opencc.OpenCC(config)

    def convert(text: str) -> str:
        return str(converter.convert(text))

    return convert


def main(argv: Sequence[str]) -> int:
    commands = {"fill-hant", "tidy", "missing"}
    if len(argv) != 2 or argv[0] not in commands:
        print(
            "usage: python -m kaoping.web.catalogues fill-hant|tidy|missing FILE.po",
            file=sys.stderr,
        )
        return 2
    command, path = argv[0], Path(argv[1])
    entries = read_po(path)
    if command in {"fill-hant", "tidy"}:
        tidy_header(entries, language_of(path))
        if command == "fill-hant":
            count = fill(entries, opencc_converter())
            print(f"{path}: {count} entries converted with OpenCC ({OPENCC_CONFIG})")
        write_po(path, entries)
        return 0
    missing = [e for e in messages(entries) if not e.translated]
    for entry in missing:
        state = "fuzzy" if entry.fuzzy else "empty"
        print(f"{path}: {state}: {entry.msgid!r}")
    if missing:
        print(f"{path}: {len(missing)} entries need a translator")
        return 1
    print(f"{path}: complete")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
