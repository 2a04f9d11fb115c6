"""Page-number pagination: 50 rows a page by default, `page_size` up to 500."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

PAGE_SIZE_INVALID = _("page_size 须为 1 至 {limit} 的整数。")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        """The requested page; an empty `page=` is the first page, like no `page` at all."""
        return request.query_params.get(self.page_query_param) or 1

    def get_page_size(self, request: Request) -> int | None:
        """The requested page size; 400 for one that is not a whole number from 1 to the
        maximum (DRF would silently use the default instead)."""
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            message = str(PAGE_SIZE_INVALID).format(limit=self.max_page_size)
            raise ValidationError({self.page_size_query_param: [message]})
        return size
