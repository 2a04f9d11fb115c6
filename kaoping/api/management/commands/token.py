"""kaoping token create USERNAME | list [USERNAME] | revoke PREFIX: personal API tokens.

`create` prints the secret once, alone on standard output (so a script can capture it); only
its hash is stored. `list` shows prefixes, never secrets. Creating and revoking are audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kaoping.api.models import ApiToken
from kaoping.api.selectors import token_list
from kaoping.api.services import token_create, token_revoke
from kaoping.audit.context import origin
from kaoping.org.access import SYSTEM


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = "接口令牌 / API tokens: create 创建 (prints the secret once), list 列出, revoke 撤销"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="为用户创建令牌 / create a token for a user")
        create.add_argument("username", help="用户名 / username")
        create.add_argument("--name", default="", help="用途,如 工单系统 / what it is for")
        listing = actions.add_parser("list", help="列出令牌 / list tokens")
        listing.add_argument("username", nargs="?", help="只列此用户 / only this user's")
        revoke = actions.add_parser("revoke", help="撤销令牌 / revoke a token")
        revoke.add_argument("prefix", help="令牌前缀(如 kp_AbCd1234)或编号 / prefix or id")

    def handle(self, *args: Any, **options: Any) -> None:
        with origin():
            getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['username']} / no such user")
        try:
            token, secret = token_create(actor=None, user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"已为 {user.username} 创建令牌 {token.prefix}…(只显示这一次,请妥善保存)"
            f" / token {token.prefix}… created for {user.username}; shown only now:"
        )
        self.stdout.write(secret)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = list(token_list(viewer=SYSTEM, username=options.get("username")))
        if not tokens:
            self.stdout.write("没有令牌 / no tokens")
            return
        self.stdout.write("编号\t前缀\t用户\t用途\t创建时间\t最近使用\t状态")
        for token in tokens:
            state = f"已撤销 revoked {_when(token.revoked_at)}" if token.revoked else "有效 live"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.user.username}\t{token.name or '—'}\t"
                f"{_when(token.created_at)}\t{_when(token.last_used_at)}\t{state}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        given = options["prefix"].rstrip("…").strip()
        tokens = token_list(viewer=SYSTEM)
        if given.isdigit():
            matches = list(tokens.filter(pk=int(given)))
        else:
            matches = list(tokens.filter(prefix__startswith=given)) if len(given) >= 6 else []
        if not matches:
            raise CommandError(f"没有前缀或编号为 {given} 的令牌 / no such token")
        if len(matches) > 1:
            raise CommandError(f"前缀 {given} 对应多个令牌,请用编号 / ambiguous prefix, use the id")
        token: ApiToken = matches[0]
        if token.revoked:
            self.stdout.write(
                f"令牌 {token.prefix}… 已于 {_when(token.revoked_at)} 撤销 / already revoked"
            )
            return
        token_revoke(actor=None, token=token)
        self.stdout.write(f"已撤销令牌 {token.prefix}…({token.user.username})/ token revoked")
