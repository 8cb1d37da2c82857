"""The one-pass edit applier and the indexed overlap check give the answers of the simple
(quadratic) versions they replaced."""

import random
from pathlib import Path

from pipelint.core.diagnostics import Edit, Position
from pipelint.edits.apply import Taken, _apply_backwards, apply_edits, overlaps

P = Path("main.py")


def _pos(text: str, off: int) -> Position:
    line = text.count("\n", 0, off) + 1
    return Position(line, off - (text.rfind("\n", 0, off) + 1) + 1)


def test_one_pass_equals_last_to_first():
    rng = random.Random(17)
    for _ in range(300):
        text = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 60)))
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, rng.randint(0, 8))))
        edits = []
        for a, b in zip(cuts[::2], cuts[1::2], strict=False):
            edits.append(Edit(P, _pos(text, a), _pos(text, b), rng.choice(["", "X", "Y\nZ"])))
            if rng.random() < 0.3:  # an insertion at the same point
                edits.append(Edit(P, _pos(text, a), _pos(text, a), rng.choice(["I", "J"])))
        rng.shuffle(edits)
        for newline in ("\n", "\r\n"):
            expected = _apply_backwards(text, sorted(
                (_off(text, e.start), _off(text, e.end), e.content) for e in edits), newline)
            assert apply_edits(text, edits, newline) == expected


def _off(text: str, p: Position) -> int:
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return min(starts[p.line - 1] + p.column - 1, len(text))


def test_taken_equals_list_scan():
    rng = random.Random(7)
    for _ in range(300):
        taken_list, taken = [], Taken()
        for _ in range(rng.randint(0, 12)):
            a = rng.randint(0, 40)
            where = [(P, a, a + rng.choice([0, 0, 1, 3, 10]))]
            assert overlaps(where, taken) == overlaps(where, taken_list)
            if not overlaps(where, taken_list):
                taken_list += where
                taken.add(where)
