"""Photo evidence: the type is read from the content, the size is limited, storage is Django's."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from kaoping.org.tests.factories import World
from kaoping.policies.models import PolicyDocument

from ..models import Finding, FindingPhoto
from ..services import finding_photo_add, finding_record, inspection_create
from .conftest import at, audit_since, last_audit_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(world: World, policies: dict[str, PolicyDocument]) -> Finding:
    """A finding on 张三 by his supervisor 李四."""
    inspection = inspection_create(
        actor=world.users["sup1"], unit=world.units["t1"], kind="daily", at=at(3, 10, 9)
    )
    return finding_record(
        actor=world.users["sup1"],
        inspection=inspection,
        employee=world.employees["e1"],
        section="service",
        severity="general",
        points=Decimal(1),
        description="未佩戴工牌",
        occurred_at=at(3, 10, 9),
    )


def image_bytes(fmt: str, size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_is_stored_by_its_real_type(world: World, finding: Finding) -> None:
    mark = last_audit_id()
    cases = [
        ("JPEG", "现场.jpg", "image/jpeg", ".jpg"),
        ("PNG", "photo.jpg", "image/png", ".png"),  # a PNG renamed .jpg is stored as a PNG
        ("WEBP", "IMG_0001", "image/webp", ".webp"),
    ]

    for fmt, name, content_type, suffix in cases:
        content = image_bytes(fmt)
        photo = finding_photo_add(
            actor=world.users["sup1"], finding=finding, upload=upload(name, content)
        )

        photo.refresh_from_db()
        assert (photo.finding, photo.company, photo.content_type, photo.size) == (
            finding,
            world.company,
            content_type,
            len(content),
        )
        assert photo.uploaded_by == world.users["sup1"]
        assert re.fullmatch(
            rf"findings/GZ/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\{suffix}", photo.image.name
        )
        with default_storage.open(photo.image.name) as stored:
            assert stored.read() == content

    assert audit_since(mark) == [("finding_photo.add", "inspections.findingphoto")] * 3


NOT_PHOTOS = [
    ("photo.jpg", "这不是图片,只是改了扩展名".encode()),
    ("photo.jpg", b""),
    ("photo.gif", image_bytes("GIF")),
    ("photo.jpg", image_bytes("JPEG")[:40]),  # truncated
]


def test_anything_but_a_jpeg_png_or_webp_is_refused(world: World, finding: Finding) -> None:
    mark = last_audit_id()
    stored_before = _stored_files()

    refusals = []
    for name, content in NOT_PHOTOS:
        with pytest.raises(ValidationError) as refused:
            finding_photo_add(
                actor=world.users["quality"],
                finding=finding,
                upload=upload(name, content),
            )
        refusals.append(refused.value.message_dict)

    assert refusals == [
        {"photo": ["照片须为 JPEG、PNG 或 WebP 图片(按文件内容判断,不看文件名)。"]}
    ] * len(NOT_PHOTOS)
    assert not FindingPhoto.objects.exists()
    assert _stored_files() == stored_before
    assert audit_since(mark) == []


@override_settings(KAOPING_MAX_PHOTO_BYTES=1024 * 1024)
def test_a_photo_up_to_the_size_limit_is_accepted_and_one_byte_more_refused(
    world: World, finding: Finding
) -> None:
    exact = image_bytes("PNG")
    exact += b"\0" * (1024 * 1024 - len(exact))  # trailing bytes after IEND: still a PNG

    with pytest.raises(ValidationError) as refused:
        finding_photo_add(
            actor=world.users["quality"], finding=finding, upload=upload("a.png", exact + b"\0")
        )
    assert not FindingPhoto.objects.exists()
    photo = finding_photo_add(
        actor=world.users["quality"], finding=finding, upload=upload("a.png", exact)
    )

    assert refused.value.message_dict == {"photo": ["照片不能超过 1.0 MB,此文件为 1.1 MB。"]}
    assert (photo.size, photo.content_type) == (1024 * 1024, "image/png")


def test_only_inspectors_over_the_finding_add_photos(world: World, finding: Finding) -> None:
    for user in ["emp1", "manager2", "hr"]:
        with pytest.raises(PermissionDenied):
            finding_photo_add(
                actor=world.users[user],
                finding=finding,
                upload=upload("a.png", image_bytes("PNG")),
            )

    assert not FindingPhoto.objects.exists()


def _stored_files() -> set[str]:
    found: set[str] = set()
    pending = [""]
    while pending:
        folder = pending.pop()
        if folder and not default_storage.exists(folder):
            continue
        folders, files = default_storage.listdir(folder)
        found.update(f"{folder}/{name}" for name in files)
        pending.extend(f"{folder}/{name}".lstrip("/") for name in folders)
    return found
