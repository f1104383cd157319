"""Certificates: the cost of CJK. Renders N 荣誉证书 in Chinese with the embedded, subset 楷体 (the
production path, `honors.certificates.render`, QR codes drawn as vector squares), then the same N with
Helvetica (a PDF base font, not embedded) and Latin text, in the same process. Each run is one combined
PDF, as a batch issue makes. The two alternate `--rounds` times and the best of each is kept, so a busy
neighbour slows both alike. Prints pages/s for each, the ratio, both output sizes, and one RESULT line per
row (goal: >= 60 pages/s, and a Chinese page at most 1.2x the time of a Latin one).

    DEBUG=1 .venv/bin/python bench/bench_certificates.py [--count 1000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")

import django

django.setup()

from pypdf import PdfReader  # noqa: E402

from chuangyou.honors import certificates  # noqa: E402
from chuangyou.lib.fonts import KAI, register  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "子涵浩然欣怡梓轩一诺雨桐思远宇航佳琪俊杰诗涵博文嘉怡天佑明轩若曦志强晓燕鹏飞婉清立新"
AWARDS = ["三好学生", "优秀学生干部", "学科第一名", "好书推荐奖", "志愿服务之星", "创新项目奖", "学科竞赛奖"]
AWARDS_EN = [
    "Merit Student",
    "Student Leader",
    "Top of Subject",
    "Book Award",
    "Volunteer Star",
    "Innovation",
    "Contest Prize",
]
REASON = "在创先争优活动中表现突出，特授予此荣誉，以资鼓励。"
REASON_EN = "For outstanding performance in the campaign, this honor is awarded."


def chinese(i: int) -> certificates.CertificateData:
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13 + 5) % len(GIVEN)]
    number = f"2026yizhong{i % 7:02d}{i:04d}"
    return certificates.CertificateData(
        title=AWARDS[i % len(AWARDS)], name=name, unit=f"初{'一二三'[i % 3]}（{i % 12 + 1}）班",
        reason=REASON, issuer="示例县第一中学", date_text="2026年11月21日", number=number,
        url=certificates.verify_url("yizhong", number),
    )  # fmt: skip


def latin(i: int) -> certificates.CertificateData:
    number = f"2026yizhong{i % 7:02d}{i:04d}"
    return certificates.CertificateData(
        title=AWARDS_EN[i % len(AWARDS_EN)], name=f"Student {i:04d}",
        unit=f"Grade {7 + i % 3}, Class {i % 12 + 1}",
        reason=REASON_EN, issuer="No. 1 Middle School", date_text="21 November 2026", number=number,
        url=certificates.verify_url("yizhong", number),
    )  # fmt: skip


def run(
    label: str, items: list[certificates.CertificateData], seal: bytes, font: str | None
) -> tuple[float, int]:
    start, cpu_start = time.perf_counter(), time.process_time()
    pdf = certificates.render(items, seal, font=font)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages == len(items), f"{label}: {pages} pages for {len(items)} certificates"
    rate = pages / seconds
    size_mb = len(pdf) / 1024 / 1024
    # Pages per CPU second too: on a shared machine the wall clock also counts others' work.
    print(
        f"{label:<28} {pages} pages in {seconds:6.2f} s  {rate:7.1f} pages/s "
        f"({pages / cpu:6.1f} per CPU second)  {size_mb:6.2f} MB"
    )
    return rate, len(pdf)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    seal = certificates.drawn_seal("示例县第一中学")
    start = time.perf_counter()
    register(KAI)  # parsing the font once per process; reported apart from the per-page cost
    print(f"楷体 font registration: {time.perf_counter() - start:.2f} s (once per process)")
    cjk = [chinese(i) for i in range(args.count)]
    lat = [latin(i) for i in range(args.count)]
    cjk_rate = lat_rate = 0.0
    cjk_size = lat_size = 0
    for _ in range(args.rounds):
        rate, cjk_size = run("Chinese, embedded 楷体", cjk, seal, None)
        cjk_rate = max(cjk_rate, rate)
        rate, lat_size = run("Latin, Helvetica (baseline)", lat, seal, "Helvetica")
        lat_rate = max(lat_rate, rate)
    per_cjk, per_lat = cjk_size / args.count / 1024, lat_size / args.count / 1024
    load = os.getloadavg()[0]
    print(
        f"best of {args.rounds}: Chinese {cjk_rate:.1f} pages/s, Latin {lat_rate:.1f} pages/s; "
        f"a Chinese page takes {lat_rate / cjk_rate:.2f}x the time of a Latin one (goal <= 1.2); "
        f"Chinese output is "
        f"{cjk_size / lat_size:.2f}x the size ({per_cjk:.1f} KB vs {per_lat:.1f} KB per certificate); "
        f"load average {load:.2f}"
    )
    print(f"RESULT certificates_cjk ratio={cjk_rate / lat_rate:.2f} rate={cjk_rate:.1f}/s load={load:.2f}")
    print(f"RESULT certificates_latin ratio=1.00 rate={lat_rate:.1f}/s load={load:.2f}")


if __name__ == "__main__":
    main()
