"""Files the commands write (`-o FILE`): refused before any work when they cannot be written
there, and written whole or not at all."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def output_path(value: str) -> Path:
    """The -o file, refused before any work when it cannot be written there."""
    output = Path(value)
    if output.is_dir():
        raise CommandError(f"-o:{output} 是一个文件夹 / {output} is a folder, not a file")
    if not output.parent.is_dir():
        raise CommandError(f"-o:文件夹不存在:{output.parent} / folder not found: {output.parent}")
    return output


def write_output(output: Path, data: bytes) -> None:
    """Write the whole file or nothing: to FILE.partial, renamed when complete."""
    partial = output.with_name(output.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise CommandError(
            f"-o:无法写入 {output}:{reason} / cannot write {output}: {reason}"
        ) from error
