"""`chuangyou <command>` from a checkout (issue 11): it reads the .env `make run` writes, and a missing
setting is one clear line with exit code 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(  # noqa: S603  (this interpreter, our own module)
        [sys.executable, "-m", "chuangyou", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_missing_secret_key_is_one_clear_line(tmp_path: Path) -> None:
    done = _run(tmp_path, "help")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("chuangyou: 配置有误：SECRET_KEY must be set when DEBUG is off")
    assert "make run" in lines[0]


def test_the_checkouts_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# written by make run\nDEBUG=1\nSECRET_KEY=dev-test-key\n")
    done = _run(tmp_path, "help")
    assert done.returncode == 0, done.stderr
    assert "load-demo" in done.stdout
