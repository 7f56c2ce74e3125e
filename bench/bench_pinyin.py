"""Search keys of names: clinic's ``name_keys`` against pypinyin alone.

    python bench/bench_pinyin.py [--names 10000]

``name_keys`` gives every key a name is found by (initials and full pinyin
for each real reading of the surname). The baseline is one ``lazy_pinyin``
call per name with pypinyin's heteronyms on, measured in the same run on the
same names. Prints both rates and their ratio. (It was a timed unit test
once; speed is measured here, on demand, never in the suite.)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypinyin import Style, pinyin  # noqa: E402

from clinic.core.pinyin import name_keys  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红梅鑫志国建成德福春燕海"


def names(count: int) -> list[str]:
    every = [s + g + h for s in SURNAMES for g in GIVEN for h in GIVEN]
    return every[:count]


def rate(function, items: list[str]) -> float:
    start = time.perf_counter()
    for item in items:
        function(item)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=10_000)
    args = parser.parse_args()
    items = names(args.names)
    baseline = rate(lambda n: pinyin(n, style=Style.NORMAL, heteronym=True), items)
    ours = rate(name_keys, items)
    print(f"names: {len(items)}")
    print(f"pypinyin (heteronyms): {baseline:,.0f} names/s")
    print(f"clinic name_keys:      {ours:,.0f} names/s")
    print(f"ratio clinic/baseline: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
