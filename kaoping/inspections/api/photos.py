"""Finding photos (违规照片) over the API: the list per finding and the file itself.

A photo shows to whoever reads its finding (kaoping.inspections.selectors.finding_list, voided
findings included); uploading is `POST /api/findings/{id}/photos/`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from kaoping.api.filters import FilterSet, IdFilter
from kaoping.api.views import ScopedViewSet
from kaoping.inspections.models import FindingPhoto
from kaoping.inspections.selectors import finding_photo_list

from .serializers import FindingPhotoSerializer

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


class FindingPhotoFilter(FilterSet):
    finding = IdFilter(field_name="finding_id", label=_("违规记录编号"))

    class Meta:
        model = FindingPhoto
        fields: list[str] = []


class FindingPhotoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Photos (照片) attached to findings as evidence; `?finding=` lists one finding's photos,
    `/file/` downloads one."""

    serializer_class = FindingPhotoSerializer
    filterset_class = FindingPhotoFilter
    ordering_fields = ["uploaded_at", "id"]

    def get_queryset(self) -> QuerySet[FindingPhoto]:
        return finding_photo_list(viewer=self.viewer)

    @extend_schema(
        summary=_("下载照片"),
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=_("照片文件"))
            for content_type in PHOTO_TYPES
        },
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str) -> FileResponse:
        photo = self.get_object()
        try:
            stream = photo.image.open("rb")
        except (FileNotFoundError, OSError):
            raise NotFound() from None
        return FileResponse(stream, content_type=photo.content_type)
