"""Constants and small helpers every part of the generator uses."""

import csv
import datetime
import io
import json
import os
import random
import shutil
import sys
from decimal import Decimal as D, ROUND_HALF_UP

import xlsxwriter
import xlsxwriter.worksheet

FIXED_DATE = datetime.datetime(2025, 3, 1, 9, 0, 0)
ZERO = D(0)
ONE = D(1)
HUNDRED = D(100)


def r2(x):
    """Half-up rounding to 2 decimals, as finance staff do (四舍五入)."""
    return D(x).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def q(x, places):
    return D(x).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def num_text(d):
    """A Decimal as a person would type it: no trailing zeros, no exponent."""
    d = D(d)
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


def money_text(d):
    return format(r2(d), "f")


def thousands(d, places=2):
    return format(q(d, places), ",." + str(places) + "f")


FW_TABLE = {ord(c): ord(c) + 0xFEE0 for c in "0123456789.%,"}


def fullwidth(s):
    """'95%' → '９５％' (digits, point, percent and comma to their full-width forms)."""
    return s.translate(FW_TABLE)


def pct(d):
    """A rate as a percentage with 2 decimals: 0.8620 → '86.20%'."""
    return format(r2(D(d) * 100), "f") + "%"
