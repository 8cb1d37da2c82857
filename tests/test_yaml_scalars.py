"""cog.yaml scalars mean what PyYAML's safe loader makes of them, not what a hand copy guesses."""

from __future__ import annotations

import datetime
import math

import pytest

from pipelint.model import yamlnodes


def value_of(text: str):
    doc = yamlnodes.compose(f"key: {text}\n")
    return yamlnodes.scalar(yamlnodes.get(doc.root, "key")[1])


@pytest.mark.parametrize("text,expected", [
    ("017", 15),  # YAML 1.1 octal
    ("0x1f", 31),
    ("190:20:30", 685230),  # base 60
    ("1_000", 1000),
    ("yes", True),
    ("Off", False),
    ("~", None),
    ('"017"', "017"),
    ("3.10", 3.1),
    ("!custom 3", "3"),  # a tag the safe loader does not know: the text
])
def test_scalar_values(text, expected):
    assert value_of(text) == expected


def test_special_floats_and_dates():
    assert value_of(".inf") == math.inf
    assert math.isnan(value_of(".nan"))
    assert value_of("2001-01-01") == datetime.date(2001, 1, 1)
