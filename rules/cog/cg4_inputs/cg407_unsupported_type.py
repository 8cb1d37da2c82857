"""CG407 unsupported-type: an input or output type cog's static schema parser refuses."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: false\nrun: "run.py:Runner"\n'
_HEAD = ("from datetime import datetime\nfrom typing import Iterator, List, Literal, Optional, Union\n\n"
         "from cog import BaseModel, BaseRunner, Input, Path\n\n\n")


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "run.py": _HEAD + src, "main.py": None}, **kw)


def _run(params, returns="str"):
    return f"class Runner(BaseRunner):\n    def run(self, {params}) -> {returns}:\n        ...\n"


class UnsupportedType(Rule):
    """An input or output type that cog's static schema parser refuses.

    ## What it does
    Reports input annotations other than `str`, `int`, `float`, `bool`, `Path`, `File`,
    `Secret`, `Any`, `dict`, a local `TypedDict`, `list[...]`/`Optional[...]` of those and
    JSON-native unions (cog 0.21+): `Literal[...]`, `tuple`, `set`, `datetime`, a class of the
    model's own file or of another package, `Mapping`, nested generics such as
    `list[Optional[str]]`, unions with a `Path`/`File`/`Secret` member (or any union before cog
    0.21). Reports output types it cannot resolve: `tuple[...]`, `set[...]`, third-party or plain
    local classes (not a `BaseModel`), a bare `Iterator`, and such types inside a returned list,
    dict or model field.

    ## Why is this bad?
    Since cog 0.19 the schema is generated from the source at build time and an unsupported type
    fails `cog build`: `unsupported type: …`, `… is not a supported input type`, or
    `cannot resolve type '<T>' (imported from '<module>') - external types cannot be statically analyzed`.

    ## Example
    ```python
    def run(self, mode: Literal["fast", "slow"] = "fast") -> tuple[Path, str]: ...
    ```

    ## Use instead
    ```python
    class Output(BaseModel):
        image: Path
        caption: str

    def run(self, mode: str = Input(choices=["fast", "slow"], default="fast")) -> Output: ...
    ```
    """

    code = "CG407"
    name = "unsupported-type"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ">=0.19"

    def check(self) -> None:
        from packaging.version import Version

        from pipelint.analysis.cog_entry import cog_entry

        entry = cog_entry(self.project)
        if entry is None or entry.function is None:
            return
        try:
            self._unions = Version(self.project.cog_version) >= Version("0.21")
        except Exception:
            self._unions = True
        for p in entry.inputs:
            if p.type is None:
                continue
            found = self._input(p.type, False)
            if found is not None:
                node, msg = found
                self.report(node, f"input `{p.name}: {entry.text(p.type)}`: cog's build fails with `{msg}`",
                            help="use str, int, float, bool, Path, Secret, dict, list[...] or Optional[...] of those "
                                 "(an enum-like input: `str` with `choices=`)", module=entry.module)
        if entry.returns is not None:
            found = self._output(entry.returns, set(), True)
            if found is not None:
                node, msg = found
                self.report(node, f"return type `{entry.text(entry.returns)}` of `{entry.func_name}()`: cog's build "
                            f"fails with `{msg}`",
                            help="return a primitive, Path, dict, a list/iterator of those, or a local `BaseModel` "
                                 "(`Annotated[T, cog.Opaque]` for a JSON-shaped third-party type)", module=entry.module)

    # ---- inputs ---------------------------------------------------------------------------
    def _input(self, t, in_list):
        from pipelint.analysis import annotations as T

        k = t.kind
        if k in (T.SCALAR, T.PATH, T.SECRET, T.FILE, T.ANY, T.UNKNOWN, T.NONE):
            return None
        if k == T.DICT:
            return None if t.name in ("dict", "Dict") else (t.node, _unresolved(t, "input"))
        if k == T.OPTIONAL:
            if in_list:
                return t.node, "unsupported type: nested generics like List[Optional[X]] are not supported"
            return self._input(t.inner, False)
        if k == T.LIST:
            if not t.args:
                return None  # a bare list: left to the runtime
            if in_list or t.inner.kind in (T.OPTIONAL, T.LIST, T.UNION):
                return t.node, "unsupported type: nested generics like List[Optional[X]] are not supported"
            return self._input(t.inner, True)
        if k == T.UNION:
            if in_list:
                return t.node, "unsupported type: nested generics like List[Optional[X]] are not supported"
            if not self._unions:
                return t.node, "unsupported type: union types other than X | None are not supported"
            for m in t.args:
                e = m.inner if m.kind == T.LIST and m.args else m
                if e.kind in (T.PATH, T.FILE, T.SECRET):
                    return m.node, f"unsupported type: {e.name} is not supported in union inputs"
                found = self._input(m, False)
                if found is not None:
                    return found
            return None
        if k == T.MODEL:
            if _is_typed_dict(t.model) or t.model.flavor == "unknown":
                return None
            return t.node, f"unsupported type: {t.name}"
        if k == T.ITERATOR:
            return t.node, f"unsupported type: {t.name}[...] is not a supported input type"
        if k == T.OTHER:
            if t.qualified == "typing.Annotated":
                return None
            return t.node, _unresolved(t, "input")
        return None

    # ---- outputs --------------------------------------------------------------------------
    def _output(self, t, seen, top):
        from pipelint.analysis import annotations as T

        k = t.kind
        if k in (T.SCALAR, T.PATH, T.SECRET, T.FILE, T.ANY, T.UNKNOWN, T.NONE, T.OPTIONAL, T.UNION):
            return None  # Optional/union/None returns have a rule of their own
        if k == T.DICT:
            if t.name not in ("dict", "Dict"):
                return t.node, _unresolved(t, "output")
            return self._output(t.args[1], seen, False) if len(t.args) == 2 else None
        if k == T.LIST:
            return self._output(t.inner, seen, False) if t.args else None
        if k == T.ITERATOR:
            if not t.args:
                return t.node, f"cannot resolve type '{t.name}' (imported from 'typing')"
            return None if t.is_concatenate else self._output(t.inner, seen, False)
        if k == T.MODEL:
            m = t.model
            if m.flavor == "unknown" or _is_typed_dict(m):
                return None
            if m.flavor not in ("cog", "pydantic"):
                return t.node, (f"cannot resolve type '{t.name}' - it is not a primitive type (str, int, float, bool, "
                                "Path) and no BaseModel definition was found in the predict file")
            if id(m) in seen:
                return None
            seen.add(id(m))
            for f in m.fields:
                ft = f.type.inner if f.type.kind == T.OPTIONAL else f.type
                found = self._output(ft, seen, False)
                if found is not None:
                    node, msg = found
                    return node, f'field "{f.name}": {msg}'
            return None
        if k == T.OTHER:
            if t.qualified == "typing.Annotated":
                return None
            return t.node, _unresolved(t, "output")
        return None

    VALID = [
        _case("class Out(BaseModel):\n    image: Path\n    tags: Optional[List[str]] = None\n\n\n"
              + _run("a: str, b: Optional[List[Path]] = None, c: Union[int, str] = 1, d: dict = {}", "Out")),
        _case(_run("a: str", "Iterator[Path]")),
    ]
    INVALID = [
        _case(_run("mode: Literal['a', 'b'] = 'a'"),
              expect=[("run.py", 8, 25, 8, 42, "unsupported type: Literal[...] is not a supported input type")]),
        _case(_run("when: datetime"),
              expect=[("run.py", 8, 25, 8, 33, "cannot resolve type 'datetime' (imported from 'datetime')")]),
        _case(_run("tags: List[Optional[str]]"),
              expect=[("run.py", 8, 25, 8, 44, "nested generics like List[Optional[X]]")]),
        _case(_run("a: str", "tuple[Path, str]"),
              expect=[("run.py", 8, 30, 8, 46, "tuple[...] is not a supported output type")]),
        _case(_run("a: Union[Path, str]"),
              expect=[("run.py", 8, 28, 8, 32, "Path is not supported in union inputs")]),
        _case(_run("a: Union[int, str]"), cog_version="0.20",
              expect=[("run.py", 8, 22, 8, 37, "union types other than X | None are not supported")]),
    ]


def _unresolved(t, where: str) -> str:
    import libcst as cst

    if isinstance(t.source, cst.Subscript):
        return f"unsupported type: {t.name}[...] is not a supported {where} type"
    q = t.qualified or t.name
    module = q.rsplit(".", 1)[0] if "." in q else ""
    if module and module != "builtins":
        return f"cannot resolve type '{t.name}' (imported from '{module}') - external types cannot be statically analyzed"
    if t.name in ("set", "list", "dict"):
        return f"cannot resolve type '{t.name}' (imported from 'builtins')"
    return f"unsupported type: {t.name}"


def _is_typed_dict(model) -> bool:
    for arg in model.node.bases:
        names = model.resolver.qualified_names(arg.value)
        if names & {"typing.TypedDict", "typing_extensions.TypedDict"}:
            return True
    return False
