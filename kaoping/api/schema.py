"""The OpenAPI description: the token scheme, and the error answers every operation may give."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = "Error"
ERRORS = {
    "400": _(
        '请求有误:字段错误按字段名列出,如 {"points": ["…"]};其余在 non_field_errors 或 detail 中。'
    ),
    "401": _("未认证:缺少令牌、令牌无效或已撤销。"),
    "403": _("无权执行此操作(可以查看该记录,但不能做此修改)。"),
    "404": _("不存在,或不在您的查看范围内。"),
    "415": _("请求体须为 JSON(Content-Type: application/json)。"),
    "429": _("请求过于频繁,请稍后再试(见 Retry-After)。"),
}


class TokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Token <secret>`, the scheme of kaoping.api.authentication."""

    target_class = "kaoping.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("个人接口令牌:`Authorization: Token <令牌>`(`kaoping token create 用户名`)。")
            ),
        }


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: document the error answers (400/401/403/404/415/429) of every
    operation, and that an optional query parameter may be empty (then it does not filter).

    An operation that documents its own answer for one of these codes (e.g. the per-row report
    of a bulk create) keeps it.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA] = {
        "type": "object",
        "description": str(_("错误信息:`detail`,或按字段名列出的错误。")),
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": {},
    }
    reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                # An empty filter (`?unit=`) means no filter, as an HTML form sends it.
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": str(description),
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
