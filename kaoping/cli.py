"""The `kaoping` command.

`kaoping NAME ...` runs the engine command `kaoping.commands.NAME` when that module exists; its
`main(argv)` gets the remaining arguments and returns the exit code. Engine commands never need
Django, so Django is imported only when the name is not one of them: then everything goes to
Django's management commands (`migrate`, `runserver`, `check`, ...), with local settings unless
DJANGO_SETTINGS_MODULE says otherwise.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import pkgutil
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec

COMMANDS_PACKAGE = "kaoping.commands"
DEFAULT_SETTINGS_MODULE = "kaoping.config.settings.local"

USAGE = """\
考评 Kaoping

用法 / Usage: kaoping <命令 command> [参数 arguments]

  kaoping help <命令>    某个命令的帮助 / help on one command
"""


def _engine_command_spec(name: str) -> ModuleSpec | None:
    """Find `kaoping.commands.<name>` without importing it or Django."""
    if not name.isidentifier() or name.startswith("_"):
        return None
    try:
        return importlib.util.find_spec(f"{COMMANDS_PACKAGE}.{name}")
    except ModuleNotFoundError:  # the commands package itself does not exist (yet)
        return None


def engine_commands() -> list[tuple[str, str]]:
    """List the engine commands as (name, first line of the module docstring), by name.

    The docstrings are read from the source, so listing runs none of the commands' code.
    """
    try:
        package = importlib.util.find_spec(COMMANDS_PACKAGE)
    except ModuleNotFoundError:
        return []
    if package is None or package.submodule_search_locations is None:
        return []
    commands = []
    for info in pkgutil.iter_modules(package.submodule_search_locations):
        if info.name.startswith("_"):
            continue
        commands.append((info.name, _summary(info.name)))
    return sorted(commands)


def _summary(name: str) -> str:
    spec = _engine_command_spec(name)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return ""
    try:
        with open(spec.origin, encoding="utf-8") as source:
            docstring = ast.get_docstring(ast.parse(source.read()))
    except (OSError, SyntaxError, ValueError):
        return ""
    return docstring.strip().splitlines()[0] if docstring else ""


def _print_usage() -> None:
    print(USAGE)
    commands = engine_commands()
    if commands:
        print("评分引擎命令 / Engine commands:")
        width = max(len(name) for name, _ in commands)
        for name, summary in commands:
            print(f"  {name.ljust(width)}  {summary}".rstrip())
        print()
    print("Django 管理命令 / Django management commands:")


def _run_engine_command(name: str, argv: list[str]) -> int:
    module = importlib.import_module(f"{COMMANDS_PACKAGE}.{name}")
    try:
        return int(module.main(argv) or 0)
    except SystemExit as exit_:  # argparse exits on --help and on bad arguments
        return _exit_code(exit_.code)
    except BrokenPipeError:  # the reader went away (`kaoping demo | head`): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130


_MISSING_TABLE = "no such table"
MIGRATE_FIRST = "数据库尚未迁移:请先运行 kaoping migrate / the database is not migrated: run `kaoping migrate` first"


def run_django(argv: list[str]) -> int:
    """Run a Django management command (`argv` without the program name); return the exit code."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["kaoping", *argv])
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    except DatabaseError as error:
        if "--traceback" in argv:
            raise
        print(f"数据库错误 database error: {error}".rstrip(), file=sys.stderr)
        if _MISSING_TABLE in str(error) or "does not exist" in str(error):
            print(MIGRATE_FIRST, file=sys.stderr)
        return 1
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


# argparse's own words (a missing argument, an unknown choice, the help's headings), Chinese first
# with the English after them, for the engine commands and Django's alike. argparse looks its
# messages up through its module's `_` (gettext) each time it shows one.
ARGPARSE_WORDS = {
    "usage: ": "用法 / usage: ",
    "positional arguments": "位置参数 / positional arguments",
    "options": "选项 / options",
    "show this help message and exit": "显示帮助并退出 / show this help message and exit",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误 / error: %(message)s\n",
    "the following arguments are required: %s": (
        "缺少必填参数 / the following arguments are required: %s"
    ),
    "unrecognized arguments: %s": "无法识别的参数 / unrecognized arguments: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选项 / invalid choice: %(value)r(可选 / choose from %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "无效的值 / invalid value: %(value)r",
    "expected one argument": "需要一个值 / expected one argument",
    "one of the arguments %s is required": "须给出其中一个参数 / one of the arguments %s is required",
    "not allowed with argument %s": "不能与参数 %s 同时使用 / not allowed with argument %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "有歧义的选项 / ambiguous option: %(option)s could match %(matches)s"
    ),
}


def localise_argparse() -> None:
    import argparse

    english = argparse._  # type: ignore[attr-defined]
    if getattr(english, "kaoping", False):
        return

    def words(message: str) -> str:
        return ARGPARSE_WORDS.get(message) or english(message)

    words.kaoping = True  # type: ignore[attr-defined]
    argparse._ = words  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `kaoping` command with `argv` (default: the process arguments); return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    localise_argparse()

    if not args or args == ["help"] or args[0] in {"-h", "--help"}:
        _print_usage()
        sys.stdout.flush()
        return run_django(["help"])

    if args[0] == "help" and _engine_command_spec(args[1]) is not None:
        return _run_engine_command(args[1], ["--help"])

    if _engine_command_spec(args[0]) is not None:
        return _run_engine_command(args[0], args[1:])

    return run_django(args)
