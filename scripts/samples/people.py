"""Fictional people."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403


SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
            "于杜叶程魏苏吕丁任卢钟雷蓝汪方石廖邱江")
GIVEN = ("建国 海燕 志强 丽华 晓东 秀英 文斌 雪梅 国庆 春燕 永红 玉兰 德明 慧敏 振华 小梅 俊杰 "
         "桂芳 立新 晓丽 长青 美玲 伟民 淑珍 学军 红霞 云峰 月娥 家豪 静怡 明亮 翠花 宏伟 雅琴 "
         "思远 巧玲 天佑 素芬 浩然 秋菊 子涵 宝珍 向阳 婉清 一鸣 凤英").split()


class People:
    """Deterministic fictional names and 138-0000-xxxx style phone numbers, never repeated."""

    def __init__(self, rnd):
        self.rnd = rnd
        self.used = set()
        self.phone_seq = 0

    def name(self):
        while True:
            n = self.rnd.choice(SURNAMES) + self.rnd.choice(GIVEN)
            if n not in self.used:
                self.used.add(n)
                return n

    def phone(self):
        self.phone_seq += 1
        prefix = ("138", "139", "135", "150", "177", "186")[self.phone_seq % 6]
        return "%s-0000-%04d" % (prefix, 1000 + self.phone_seq * 37 % 9000)
