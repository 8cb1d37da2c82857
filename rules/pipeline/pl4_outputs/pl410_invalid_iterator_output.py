"""PL410 invalid-iterator-output: An iterator return type the runtime refuses."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import iterator_encodes_element
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class IteratorOutput(EntryRule):
    """An iterator return type the runtime refuses.

    ## What it does
    Reports a bare `Iterator` (no element type), an Optional or list element
    (`Iterator[Optional[str]]`), `ConcatenateIterator` of anything but `str`, an
    `AsyncIterator` returned by a plain `def`, and an `Iterator` returned by an `async def`.

    ## Why is this bad?
    The runtime inspects iterator outputs when the model loads and refuses these:
    `iterator type must have a type argument`, `ConcatenateIterator must have str element`,
    an empty `AssertionError` for Optional or list elements. A sync/async mismatch breaks the
    way the runtime consumes the output.

    ## Example
    ```python
    async def run(prompt: str) -> Iterator[str]:
        ...
    ```

    ## Use instead
    ```python
    async def run(prompt: str) -> AsyncIterator[str]:
        ...
    ```
    """

    code = "PL410"
    name = "invalid-iterator-output"

    def check_entry(self, entry) -> None:
        fn = entry.func_name
        for node, part, what in _refusals(entry):
            shown = entry.text(part)
            if what == "bare":
                msg = f"`{fn}()` returns `{shown}` without an element type (`iterator type must have a type argument`)"
                help_ = f"say what it yields: `{shown}[str]`"
            elif what == "async-on-sync":
                msg = f"`{fn}()` is a plain function but returns `{shown}`, an async iterator"
                help_ = f"make it `async def {fn}` (an async generator), or return `Iterator[...]`"
            elif what == "sync-on-async":
                msg = f"`{fn}()` is `async` but returns `{shown}`, a synchronous iterator"
                help_ = "return `AsyncIterator[...]` (or `AsyncConcatenateIterator[str]`), or make it a plain `def`"
            elif what == "element":
                msg = (f"the iterator yields `{shown}`: each item must be a single value "
                       "(`iterator element type must not be Optional or List`)")
                help_ = "yield single values, e.g. `Iterator[str]`"
            else:
                t = entry.returns
                msg = f"`{entry.text(t)}` must yield `str`, not `{shown}` (`{t.name} must have str element`)"
                help_ = "concatenating iterators stream text: use `ConcatenateIterator[str]`, or `Iterator[...]` otherwise"
            self.report(node, msg, help=help_)

    VALID = [
        Case("from typing import Iterator\n\n\ndef run() -> Iterator[str]:\n    yield 'x'\n"),
        Case("from collections.abc import AsyncIterator\n\n\nasync def run() -> AsyncIterator[int]:\n    yield 1\n"),
        Case("from cog import ConcatenateIterator\n\n\ndef run() -> ConcatenateIterator[str]:\n    yield 'x'\n"),
        Case("import cog\n\n\nasync def run() -> cog.AsyncConcatenateIterator[str]:\n    yield 'x'\n"),
    ]
    INVALID = [
        Case("from typing import Iterator\n\n\ndef run() -> Iterator:\n    yield 'x'\n",
             expect=[(4, 14, 4, 22, "`run()` returns `Iterator` without an element type")]),
        Case("import typing as t\n\n\ndef run() -> t.Iterator[t.Optional[str]]:\n    yield None\n",
             expect=[(4, 25, 4, 40, "the iterator yields `t.Optional[str]`")]),
        Case("from cog import ConcatenateIterator\n\n\ndef run() -> ConcatenateIterator[int]:\n    yield 1\n",
             expect=[(4, 34, 4, 37, "`ConcatenateIterator[int]` must yield `str`, not `int`")]),
        Case("from typing import AsyncIterator\n\n\ndef run() -> AsyncIterator[str]:\n    return iter([])\n",
             expect=[(4, 14, 4, 32, "`run()` is a plain function but returns `AsyncIterator[str]`, an async iterator")]),
        Case("from typing import Iterator\n\n\nasync def run() -> 'Iterator[str]':\n    yield 'x'\n",
             expect=[(4, 20, 4, 35, "`run()` is `async` but returns `Iterator[str]`, a synchronous iterator")]),
    ]


def _refusals(entry):
    """(node, type part, what) for each way the runtime refuses the entry's iterator return type."""
    t = entry.returns
    if t is None or t.kind != T.ITERATOR:
        return []
    elem = t.inner
    if elem is None:
        return [(t.node, t, "bare")]
    out = []
    if t.is_async_iterator and not entry.is_async:
        out.append((t.node, t, "async-on-sync"))
    elif not t.is_async_iterator and entry.is_async:
        out.append((t.node, t, "sync-on-async"))
    if elem.kind in (T.OPTIONAL, T.LIST):
        out.append((elem.node, elem, "element"))
    elif not iterator_encodes_element(t):
        out.append((elem.node, elem, "concatenate"))  # a ConcatenateIterator of something else than str
    return out
