"""The import kinds (导入类型): people and placements, findings, and every operations record."""

from __future__ import annotations

from ..cells import label_key
from .base import Importer
from .findings import FindingsImporter
from .operations import record_importers
from .people import PeopleImporter


def importers() -> list[Importer]:
    """Every import kind, in the order the templates and help list them (fresh instances: an
    importer keeps state while it runs)."""
    return [PeopleImporter(), FindingsImporter(), *record_importers()]


def importer_for(kind: str) -> Importer | None:
    """The importer of `kind`, by key (complaints), alias or Chinese title (投诉)."""
    wanted = label_key(kind.strip())
    for importer in importers():
        names = {importer.key, importer.title, importer.shown_title, *importer.aliases}
        if wanted in {label_key(name) for name in names}:
            return importer
    return None


def kind_keys() -> list[str]:
    return [importer.key for importer in importers()]
