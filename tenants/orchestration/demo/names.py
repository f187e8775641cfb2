"""The demo's people's names: common surnames and given names, combined in an order with no pattern."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = ["建国", "秀英", "志强", "丽华", "明", "芳", "伟", "敏", "军", "静", "勇", "艳", "杰", "娟", "涛", "霞",
         "斌", "燕", "超", "玲", "华", "红", "平", "兰", "德胜", "桂英", "海燕", "春生", "正清", "玉梅"]


def names(seed: int = 2026) -> Iterator[str]:
    """Every surname with every given name, in an order fixed by `seed` but with no pattern to the eye."""
    pool = [surname + given for given, surname in itertools.product(GIVEN, SURNAMES)]
    random.Random(seed).shuffle(pool)
    yield from pool
