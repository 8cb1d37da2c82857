#!/usr/bin/env python3
"""Derive ``pipelint/data/libcst-walk.json``: the order in which libcst visits each node's children.

``pipelint.model.walk`` traverses a libcst tree without rebuilding it (libcst's ``CSTNode.visit``
re-constructs and re-validates every node it passes, even for a read-only ``CSTVisitor``). To call
the very same hooks in the very same order it needs, per node class, the children
``_visit_and_replace_children`` visits. That order is read here from libcst's own source, never
typed in: for every class in ``libcst/_nodes/*.py`` that defines ``_visit_and_replace_children``,
the ``ast`` of the method is read and the keywords of the constructor it returns are listed in
their order (Python evaluates keyword arguments left to right, so that is the visiting order):

* ``visit_required``/``visit_optional``/``visit_sentinel(self, "f", self.f, visitor)`` →
  ``[f, "one"]``: hooks for ``f``, then the child if it is a node (not None / MaybeSentinel);
* ``visit_sequence``/``visit_body_sequence(...)`` → ``[f, "seq"]`` / ``[f, "body"]``: hooks,
  then every element;
* ``visit_required(...) if isinstance(f, X) else visit_sequence(...)`` → ``[f, "one|seq"]``;
* ``visit_sequence(...) if f is not None else None`` → ``[f, "seq?"]``: no hooks when None;
* ``f=self.f`` (a plain value: a string, a flag) → not visited, kept in ``"keywords"`` only.

Anything else in a method (another statement shape, another helper) stops the script: a libcst
that visits differently must be looked at, not guessed. Every class also records the constructor's
full keyword list, which the runtime compares with the installed method's code (its keyword-name
constant) before trusting the entry, and the table records the libcst version it was read from.

    python scripts/derive_libcst_walk.py           # rewrite the table from the installed libcst
    python scripts/derive_libcst_walk.py --check   # exit 1 if the table is not what it derives
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pipelint" / "data" / "libcst-walk.json"
HELPERS = {"visit_required": "one", "visit_optional": "one", "visit_sentinel": "one",
           "visit_sequence": "seq", "visit_body_sequence": "body"}


class Unexpected(Exception):
    pass


def _helper_call(value: ast.expr, field: str, source: str | None = None) -> str:
    """The kind of ``visit_x(self, "field", <source>, visitor)``; raises Unexpected otherwise."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in HELPERS):
        raise Unexpected(ast.unparse(value))
    args = value.args
    if (len(args) != 4 or value.keywords or not (isinstance(args[0], ast.Name) and args[0].id == "self")
            or not (isinstance(args[1], ast.Constant) and args[1].value == field)
            or ast.unparse(args[2]) not in {f"self.{field}", source or f"self.{field}"}
            or not (isinstance(args[3], ast.Name) and args[3].id == "visitor")):
        raise Unexpected(ast.unparse(value))
    return HELPERS[value.func.id]


def _field(kw: ast.keyword, aliases: dict[str, str]) -> str | None:
    """The kind of one constructor keyword, or None for a value that is not visited."""
    field, value = kw.arg, kw.value
    if isinstance(value, ast.Attribute) and ast.unparse(value) == f"self.{field}":
        return None
    alias = next((a for a, f in aliases.items() if f == field), None)
    if isinstance(value, ast.IfExp):
        test = ast.unparse(value.test)
        body_kind = _helper_call(value.body, field, alias)
        if alias and test == f"{alias} is not None" and isinstance(value.orelse, ast.Constant) \
                and value.orelse.value is None and body_kind == "seq":
            return "seq?"
        if alias and isinstance(value.test, ast.Call) and ast.unparse(value.test.func) == "isinstance" \
                and ast.unparse(value.test.args[0]) == alias and body_kind == "one" \
                and _helper_call(value.orelse, field, alias) == "seq":
            return "one|seq"
        raise Unexpected(ast.unparse(value))
    return _helper_call(value, field, alias)


def _method(cls: ast.ClassDef, fn: ast.FunctionDef) -> tuple[list, list]:
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    aliases: dict[str, str] = {}  # `format_spec = self.format_spec` → {"format_spec": "format_spec"}
    ret = None
    for i, stmt in enumerate(body):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.Attribute) and ast.unparse(stmt.value).startswith("self.") \
                and isinstance(stmt.value.value, ast.Name):
            aliases[stmt.targets[0].id] = stmt.value.attr
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call) \
                and i + 2 == len(body) and isinstance(body[-1], ast.Return) \
                and ast.unparse(body[-1].value) == ast.unparse(stmt.targets[0]):
            ret = stmt.value  # `ret = TypeParam(...); return ret`
            break
        elif isinstance(stmt, ast.Return) and i + 1 == len(body):
            ret = stmt.value
        else:
            raise Unexpected(ast.unparse(stmt))
    if isinstance(ret, ast.Name) and ret.id == "self" and not aliases:  # a leaf: `return self`
        return [], []
    if not isinstance(ret, ast.Call) or ret.args \
            or ast.unparse(ret.func) not in {cls.name, "self.__class__"}:
        raise Unexpected(ast.unparse(ret) if ret is not None else "no return")
    fields, keywords = [], []
    for kw in ret.keywords:
        if kw.arg is None:
            raise Unexpected(ast.unparse(kw))
        keywords.append(kw.arg)
        kind = _field(kw, aliases)
        if kind is not None:
            fields.append([kw.arg, kind])
    return fields, keywords


def derive() -> dict:
    import libcst

    root = Path(libcst.__file__).resolve().parent
    classes: dict = {}
    for path in sorted((root / "_nodes").glob("*.py")):
        module = "libcst._nodes." + path.stem
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef):
                continue
            for fn in cls.body:
                if not (isinstance(fn, ast.FunctionDef) and fn.name == "_visit_and_replace_children"):
                    continue
                if any(isinstance(d, ast.Name) and d.id == "abstractmethod" for d in fn.decorator_list):
                    continue
                try:
                    fields, keywords = _method(cls, fn)
                except Unexpected as exc:
                    sys.exit(f"{module}.{cls.name}._visit_and_replace_children: unexpected {exc}")
                classes[f"{module}.{cls.name}"] = {"fields": fields, "keywords": keywords}
    return {
        "about": "Per libcst node class (the class defining _visit_and_replace_children), the children "
                 "it visits in order, read from that method's source by scripts/derive_libcst_walk.py.",
        "libcst": metadata.version("libcst"),
        "classes": dict(sorted(classes.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the table would change")
    args = parser.parse_args()
    text = json.dumps(derive(), indent=1, sort_keys=False) + "\n"
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is not what the installed libcst derives; run scripts/derive_libcst_walk.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
