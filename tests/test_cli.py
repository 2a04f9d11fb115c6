"""The `kaoping` command: engine commands without Django, everything else passed to Django."""

import os
import subprocess
import sys

from kaoping.cli import engine_commands


def kaoping(*args: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "kaoping", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_passes_through_to_django() -> None:
    result = kaoping("check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_help_shows_usage_engine_commands_and_django_commands() -> None:
    result = kaoping("help")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("考评 Kaoping\n\n用法 / Usage: kaoping <命令 command>")
    for name, _summary in engine_commands():
        assert f"\n  {name}" in result.stdout
    assert "Django 管理命令 / Django management commands:" in result.stdout
    assert "migrate" in result.stdout
    assert "runserver" in result.stdout


def test_no_arguments_shows_the_same_usage() -> None:
    assert kaoping().stdout == kaoping("help").stdout


def test_unknown_command_fails_with_djangos_message() -> None:
    result = kaoping("no-such-command")

    assert result.returncode == 1
    assert "Unknown command: 'no-such-command'" in result.stderr


def test_the_command_module_does_not_import_django() -> None:
    probe = "import sys, kaoping.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )

    assert result.stdout.strip() == "[]"


def test_a_database_not_yet_migrated_is_named_without_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"

    result = subprocess.run(
        [sys.executable, "-m", "kaoping", "policy", "simulate", "cs-group-inspection", "2026-10"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "数据库错误 database error: no such table: org_company",
        "数据库尚未迁移:请先运行 kaoping migrate / the database is not migrated: run `kaoping migrate` first",
    ]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_gunicorn_on_a_migrated_database_and_refuses_an_unmigrated_one(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    import http.client
    import time

    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    environ["STATIC_ROOT"] = str(tmp_path / "static")
    port = _free_port()
    serve = [sys.executable, "-m", "kaoping", "serve", "--bind", f"127.0.0.1:{port}"]

    # an unmigrated database: refused, named, nothing served
    refused = subprocess.run(
        [*serve, "--workers", "1"], env=environ, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "CommandError: 数据库尚未迁移:请先运行 kaoping migrate / "
        "the database is not migrated: run `kaoping migrate` first"
    )

    # migrated: gunicorn answers, with the static files collected
    migrate = subprocess.run(
        [sys.executable, "-m", "kaoping", "migrate", "-v0"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    server = subprocess.Popen(
        [*serve, "--workers", "1"], env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        answers: list[tuple[int, bytes]] = []
        deadline = time.monotonic() + 60
        while not answers and time.monotonic() < deadline and server.poll() is None:
            try:
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                client.request("GET", "/login/")
                response = client.getresponse()
                answers.append((response.status, response.read()))
            except OSError:
                time.sleep(0.3)
        assert answers and answers[0][0] == 200
        assert "登录".encode() in answers[0][1]
        assert (tmp_path / "static" / "vendor").is_dir()
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert out.decode().startswith(
        f"考评 Kaoping: http://127.0.0.1:{port}/ (gunicorn, 1 个进程 workers"
    )


def test_bench_refuses_bad_numbers_in_both_languages_before_doing_anything() -> None:
    from kaoping.commands import bench

    for args, message in (
        (["engine", "--subjects", "abc"], "“abc”不是整数 / “abc” is not a whole number"),
        (["web", "--pause", "-1"], "应为 0 或更多秒 / must be zero or more seconds"),
        (["web", "--pause", "nan"], "应为 0 或更多秒 / must be zero or more seconds"),
        (["web", "--port", "99999"], "端口应在 1–65535 之间 / a port is 1 to 65535"),
    ):
        result = kaoping("bench", *args)

        assert result.returncode == 2, args
        assert result.stderr.rstrip().endswith(message), result.stderr
        assert "Traceback" not in result.stderr
    assert bench._seconds("0") == 0.0


def test_serve_refuses_an_address_it_cannot_listen_on_before_starting() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = f"127.0.0.1:{taken.getsockname()[1]}"
        for bind, message in (
            ("127.0.0.1:99999", "--bind: “127.0.0.1:99999”应为 地址:端口,端口在 1–65535 之间"),
            ("bogus", "--bind: “bogus”应为 地址:端口,端口在 1–65535 之间"),
            ("no-such-host.invalid:8000", "--bind: 无法解析地址 no-such-host.invalid"),
            (busy, f"--bind: 无法在 {busy} 上监听(端口已被占用或地址不属于本机)"),
        ):
            result = kaoping("serve", "--bind", bind)

            assert result.returncode == 1, bind
            assert result.stderr.startswith(f"CommandError: {message}"), result.stderr
            assert "Traceback" not in result.stderr and "考评 Kaoping: http" not in result.stdout


def test_argument_errors_and_help_are_chinese_first_for_engine_and_django_commands() -> None:
    missing = kaoping("close")
    assert missing.returncode == 2
    assert missing.stderr.splitlines()[-1] == (
        "kaoping close: 错误 / error: 缺少必填参数 / the following arguments are required: --period"
    )

    unknown = kaoping("bench", "frob")
    assert unknown.returncode == 2
    assert unknown.stderr.splitlines()[-1] == (
        "kaoping bench: 错误 / error: argument target: 无效的选项 / invalid choice: 'frob'"
        "(可选 / choose from 'engine', 'close', 'web')"
    )

    helped = kaoping("bench", "--help")
    assert helped.stdout.startswith("用法 / usage: kaoping bench")
    assert "\n位置参数 / positional arguments:\n" in helped.stdout
    assert "显示帮助并退出 / show this help message and exit" in helped.stdout
