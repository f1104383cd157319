"""The `chuangyou` console command: Django's manage.py under the project's own name.

Run from a checkout, it first reads `.env` there (`make run` writes one for development, with DEBUG and
a SECRET_KEY), so `chuangyou <command>` works without setting variables by hand. Variables already in
the environment win. A missing or malformed setting is one clear line, not a traceback."""

import os
import sys
from pathlib import Path


def main() -> None:
    from dotenv import load_dotenv

    load_dotenv(Path.cwd() / ".env", override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")
    from django.core.management import execute_from_command_line

    from chuangyou.lib.env import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        sys.stderr.write(
            f"chuangyou: 配置有误：{exc}。开发时在项目目录运行 make run（会写好 .env）；"
            "部署时请设置环境变量，见 docs/configuration.md。\n"
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
