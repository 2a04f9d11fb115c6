"""The vendored front-end files are the ones scripts/vendor.sh recorded, at the pinned versions."""

from __future__ import annotations

import hashlib
from pathlib import Path

WEB = Path(__file__).resolve().parents[1]
VERSIONS = WEB / "static" / "vendor" / "VERSIONS"


def _listed() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in VERSIONS.read_text().splitlines():
        if line and not line.startswith("#"):
            name, version, file, digest = line.split()
            rows.append((name, version, file, digest))
    return rows


def test_every_vendored_file_matches_its_recorded_sha256() -> None:
    files = [(file, digest) for _, _, file, digest in _listed() if file != "-"]

    assert len(files) >= 10
    for file, digest in files:
        assert hashlib.sha256((WEB / file).read_bytes()).hexdigest() == digest, file


def test_the_pinned_versions_and_their_registry_integrity() -> None:
    tarballs = {name: (version, digest) for name, version, file, digest in _listed() if file == "-"}

    assert {name: version for name, (version, _) in tarballs.items()} == {
        "@tabler/core": "1.6.1",
        "htmx.org": "2.0.11",
        "echarts": "6.1.0",
        "@tabler/icons": "3.51.0",
    }
    assert all(digest.startswith("sha512-") for _, digest in tarballs.values())


def test_every_package_ships_its_licence() -> None:
    folders = {Path(file).parent for _, _, file, _ in _listed() if file != "-"}

    for folder in folders:
        assert (WEB / folder / "LICENSE").is_file(), folder


def test_no_vendored_file_points_at_a_missing_source_map() -> None:
    # collectstatic's manifest storage fails on a sourceMappingURL whose map is not there
    for _, _, file, _ in _listed():
        if file.endswith((".js", ".css")):
            assert b"sourceMappingURL" not in (WEB / file).read_bytes(), file
