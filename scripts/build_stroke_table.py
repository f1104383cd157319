"""Build src/chuangyou/lib/data/strokes.txt from Unihan's kTotalStrokes.

Source: Debian's `unicode-data` package (Unicode 15.0), file
/usr/share/unicode/Unihan_IRGSources.txt.bz2. Run after `apt-get install unicode-data`:

    python scripts/build_stroke_table.py [/path/to/Unihan_IRGSources.txt.bz2]

Only the CJK Unified Ideographs block (U+4E00–U+9FFF) is kept: every surname in use is there, and the
table stays small. kTotalStrokes may list two counts (the first is the preferred, zh-Hans one).
"""

import bz2
import sys
from pathlib import Path

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode/Unihan_IRGSources.txt.bz2")
TARGET = Path(__file__).resolve().parent.parent / "src/chuangyou/lib/data/strokes.txt"


def main() -> None:
    counts: dict[int, int] = {}
    with bz2.open(SOURCE, "rt", encoding="utf-8") as source:
        for line in source:
            if "\tkTotalStrokes\t" not in line:
                continue
            code, _, value = line.rstrip("\n").split("\t")
            point = int(code[2:], 16)
            if 0x4E00 <= point <= 0x9FFF:
                counts[point] = int(value.split()[0])
    # One line per character: the character and its stroke count. Plain text, diffable.
    lines = [f"{chr(point)}\t{count}" for point, count in sorted(counts.items())]
    header = (
        "# kTotalStrokes for U+4E00..U+9FFF, from Unihan (Unicode 15.0); see scripts/build_stroke_table.py\n"
    )
    TARGET.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} characters to {TARGET}")


if __name__ == "__main__":
    main()
