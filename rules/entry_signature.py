"""PL301–PL304, PL311, PL313: the shape of the entry function the runtime inspects."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.analysis.entry import METADATA as ENTRY_METADATA
from pipelint.analysis.entry import EntryRule
from pipelint.engine.rule import Case, Rule


def suggest_type(param) -> str:
    """A type to suggest for an input, guessed from its literal default."""
    value = param.default_literal
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return type(value).__name__
    if isinstance(value, list) and value and len({type(v) for v in value}) == 1:
        inner = {str: "str", int: "int", float: "float", bool: "bool"}.get(type(value[0]))
        if inner:
            return f"list[{inner}]"
    return "str"


class VariadicParameters(EntryRule):
    """The entry takes `*args`, `**kwargs` or keyword-only parameters.

    ## What it does
    Reports `*args`, `**kwargs` and keyword-only parameters (those after a bare `*`) on the
    entry function, or on the `predict()` method of a class entry.

    ## Why is this bad?
    The runtime turns each named parameter into an input and calls the function with them.
    It refuses anything else when the model loads: `run() must not have *args`,
    `run() must not have **kwargs`, `run() must not have keyword-only args`.

    ## Example
    ```python
    def run(prompt: str, *, seed: int = Input(default=0)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str, seed: int = Input(default=0)) -> str:
        ...
    ```
    """

    code = "PL301"
    name = "entry-variadic-parameters"

    def check_entry(self, entry) -> None:
        import libcst as cst

        f = entry.func_name
        params = entry.function.params
        star = params.star_arg
        if isinstance(star, cst.Param):
            self.report(
                star, f"`{f}()` takes `*{star.name.value}`: inputs are passed by name only (`{f}() must not have *args`)",
                help=f"remove `*{star.name.value}` and declare each input as its own annotated parameter")
        if params.star_kwarg is not None:
            name = params.star_kwarg.name.value
            self.report(
                params.star_kwarg,
                f"`{f}()` takes `**{name}`: the runtime needs every input declared (`{f}() must not have **kwargs`)",
                help=f"remove `**{name}` and declare each input as its own annotated parameter")
        if params.kwonly_params and isinstance(star, cst.ParamStar):
            names = ", ".join(f"`{p.name.value}`" for p in params.kwonly_params)
            self.report(
                star, f"`{f}()` has keyword-only parameters ({names}) (`{f}() must not have keyword-only args`)",
                help="remove the bare `*` so that they are ordinary parameters")

    VALID = [
        Case("from cog import Input\n\ndef run(prompt: str, seed: int = Input(default=0)) -> str:\n    return prompt\n"),
        Case("def helper(*args, **kwargs):\n    pass\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
    ]
    INVALID = [
        Case("def run(prompt: str, *images) -> str:\n    return prompt\n", expect=[(1, 22)]),
        Case("def run(prompt: str, **options) -> str:\n    return prompt\n", expect=[(1, 22)]),
        Case("from cog import Input\n\ndef run(prompt: str, *, seed: int = Input(default=0)) -> str:\n    return prompt\n",
             expect=[(3, 22)]),
        Case("def run(\n    prompt: str,\n    *extra: str,\n    n: int,\n) -> str:\n    return prompt\n", expect=[(3, 5)],
             note="keyword-only parameters after *args: one diagnostic, for *args"),
        Case("async def run(*args, **kwargs) -> str:\n    return ''\n", expect=[(1, 15), (1, 22)]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self, **kw) -> str:\n        return ''\n"}, expect=[(4, 23)]),
    ]


class MissingInputAnnotation(EntryRule):
    """An input of the entry has no type annotation.

    ## What it does
    Reports a parameter of the entry function (or of a class entry's `predict()`, `self`
    aside) without a type annotation.

    ## Why is this bad?
    The runtime reads each input's type from its annotation to build the model's schema and
    to convert the values it receives. Without one the model fails to load:
    `missing type annotation for input: prompt`.

    ## Example
    ```python
    def run(prompt, steps=Input(default=4)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str, steps: int = Input(default=4)) -> str:
        ...
    ```
    """

    code = "PL302"
    name = "missing-input-annotation"

    def check_entry(self, entry) -> None:
        for p in entry.inputs:
            if p.annotation is None:
                self.report(
                    p.node.name, f"input `{p.name}` has no type annotation (`missing type annotation for input: {p.name}`)",
                    help=f"annotate it, e.g. `{p.name}: {suggest_type(p)}`")

    VALID = [
        Case("def run(prompt: str) -> str:\n    return prompt\n"),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self, prompt: str) -> str:\n        return prompt\n"}),
    ]
    INVALID = [
        Case("def run(prompt) -> str:\n    return prompt\n", expect=[(1, 9)]),
        Case("from cog import Input\n\ndef run(\n    prompt: str,\n    steps=Input(default=4),\n) -> str:\n    return prompt\n",
             expect=[(5, 5)]),
        Case("import cog\n\nasync def run(a, b=cog.Input(default=1.5)) -> str:\n    return a\n", expect=[(3, 15), (3, 18)]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self, prompt) -> str:\n        return prompt\n"}, expect=[(4, 23)]),
    ]


class MissingReturnAnnotation(EntryRule):
    """The entry has no return annotation.

    ## What it does
    Reports an entry function (or a class entry's `predict()`) without `-> Type`.

    ## Why is this bad?
    The runtime builds the output schema from the return annotation and refuses to load a
    model without one (`run() must have a return type annotation`; the pinned runtime says
    `predict() must not return None`).

    ## Example
    ```python
    async def run():
        ...
    ```

    ## Use instead
    ```python
    async def run() -> str:
        ...
    ```
    """

    code = "PL303"
    name = "missing-return-annotation"

    def check_entry(self, entry) -> None:
        if entry.function.returns is not None:
            return
        f = entry.func_name
        self.report(
            entry.function.name, f"`{f}()` has no return type annotation (`{f}() must have a return type annotation`)",
            help=f"annotate what it returns, e.g. `def {f}(...) -> str:`; a pipeline must return a value")

    VALID = [Case("def run() -> str:\n    return 'x'\n")]
    INVALID = [
        Case("def run():\n    return 'x'\n", expect=[(1, 5)]),
        Case("import asyncio\n\nasync def run():\n    return 'x'\n", expect=[(3, 11)]),
        Case("import functools\n\n@functools.cache\ndef run(\n    prompt: str,\n):\n    return prompt\n", expect=[(4, 5)]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self):\n        return 1\n"}, expect=[(4, 9)]),
    ]


class ReturnsNone(EntryRule):
    """The entry is annotated `-> None`.

    ## What it does
    Reports `-> None` (also spelt `-> "None"`) on the entry function.

    ## Why is this bad?
    Every runtime rejects it when the model loads (`run() must not return None`), although
    the pipeline guide's own examples use it: a pipeline must return a value.

    ## Example
    ```python
    def run(prompt: str) -> None:
        print(llm(prompt=prompt))
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return str(llm(prompt=prompt))
    ```
    """

    code = "PL304"
    name = "returns-none"

    def check_entry(self, entry) -> None:
        f = entry.func_name
        for finding in self.output_findings(entry):
            self.report(finding.node, f"`{f}()` is annotated `-> None`, which every runtime rejects "
                        f"(`{f}() must not return None`)",
                        help="return what the pipeline produces and annotate its type, e.g. `-> str` or `-> Path`")

    VALID = [Case("def run() -> str:\n    return 'done'\n"),
             Case("def helper() -> None:\n    pass\n\ndef run() -> str:\n    return 'x'\n")]
    INVALID = [
        Case("def run() -> None:\n    print('x')\n", expect=[(1, 14)]),
        Case("def run(prompt: str) -> 'None':\n    print(prompt)\n", expect=[(1, 25)]),
        Case("async def run(\n    prompt: str,\n) -> None:\n    print(prompt)\n", expect=[(3, 6)]),
    ]


def _type_checking_test(test, resolver) -> bool:
    names = resolver.qualified_names(test)
    return bool(names & {"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"}) or \
        getattr(test, "value", None) == "TYPE_CHECKING"


def annotations_need_postponing(module, resolver) -> bool:
    """Would an annotation fail at import time without ``from __future__ import annotations``?

    True when an annotation evaluated at definition time (a function's parameters and return,
    a module or class attribute) names something bound only later in the file (a forward
    reference), only under ``if TYPE_CHECKING:``, or nowhere.
    """
    import libcst as cst

    tree = module.tree
    spans = []  # (first line, last line, statement) of each top-level statement
    for stmt in tree.body:
        start, end = module.range(stmt)
        spans.append((start.line, end.line, stmt))

    def top_of(node):
        line = module.range(node)[0].line
        for first, last, stmt in spans:
            if first <= line <= last:
                return first, last, stmt
        return None

    names: list = []

    def collect(expr):
        if isinstance(expr, cst.Name):
            names.append(expr)
        elif isinstance(expr, cst.Attribute):
            collect(expr.value)
        elif isinstance(expr, cst.Subscript):
            collect(expr.value)
            for el in expr.slice:
                if isinstance(el.slice, cst.Index):
                    collect(el.slice.value)
        elif isinstance(expr, cst.BinaryOperation):
            collect(expr.left)
            collect(expr.right)
        elif isinstance(expr, (cst.List, cst.Tuple)):
            for el in expr.elements:
                collect(el.value)

    class Annotations(cst.CSTVisitor):
        def __init__(self):
            self.function_depth = 0

        def visit_FunctionDef(self, node) -> None:
            for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
                if p.annotation is not None:
                    collect(p.annotation.annotation)
            for p in (node.params.star_arg, node.params.star_kwarg):
                if isinstance(p, cst.Param) and p.annotation is not None:
                    collect(p.annotation.annotation)
            if node.returns is not None:
                collect(node.returns.annotation)
            self.function_depth += 1

        def leave_FunctionDef(self, node) -> None:
            self.function_depth -= 1

        def visit_AnnAssign(self, node) -> None:
            if self.function_depth == 0:  # annotations of local variables are never evaluated
                collect(node.annotation.annotation)

    tree.visit(Annotations())
    from libcst.metadata import BuiltinAssignment, ClassScope

    scopes = module.metadata("scope")
    for name in names:
        scope = scopes.get(name)
        if scope is None:
            continue
        assignments = scope[name.value]
        if not assignments:
            return True  # bound nowhere: only a postponed annotation survives it
        here = top_of(name)
        ok = False
        for a in assignments:
            if isinstance(a, BuiltinAssignment):
                ok = True
            elif isinstance(a.scope, ClassScope):
                ok = module.range(a.node)[1].line < module.range(name)[0].line
            elif not _is_global(a.scope):
                ok = True  # a local of an enclosing function: bound before the nested def runs
            else:
                bound = top_of(a.node)
                if bound is None or (isinstance(bound[2], cst.If) and _type_checking_test(bound[2].test, resolver)):
                    continue
                ok = here is not None and bound[1] < here[0]
            if ok:
                break
        if not ok:
            return True
    return False


def _is_global(scope) -> bool:
    from libcst.metadata import GlobalScope

    return isinstance(scope, GlobalScope)


class FutureAnnotations(Rule):
    """`from __future__ import annotations` in the entry module.

    ## What it does
    Reports `from __future__ import annotations` in the module cog.yaml's `predict:` names.

    ## Why is this bad?
    It turns every annotation into a string. The pipelines runtime refuses such a module
    (`predictor with "from __future__ import annotations" is not supported`); the pinned
    runtime fails less clearly (`unsupported Cog type str`). Python 3.13 needs no
    `__future__` import for `list[str]` or `X | None`.

    ## Example
    ```python
    from __future__ import annotations

    def run(prompt: str) -> str:
        return prompt
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return prompt
    ```

    ## Fix safety
    The fix removes the import. It is offered only when no annotation needs it: when one
    names something defined later in the file (a forward reference such as `-> Output` above
    `class Output`), or only under `if TYPE_CHECKING:`, removing the import would break the
    import of the module; quote those annotations (`-> "Output"`) or move the definitions up.
    """

    code = "PL311"
    name = "future-annotations"
    files = ("python",)
    metadata = ENTRY_METADATA
    fix_availability = "sometimes"

    def check(self) -> None:
        import libcst as cst

        from pipelint.edits import pyedit
        from pipelint.analysis.annotations import resolver_for

        module = self.project.entry_module
        if module is None or module.tree is None:
            return
        for stmt, imp in pyedit.top_level_imports(module):
            if not isinstance(imp, cst.ImportFrom) or pyedit._dotted(imp.module) != "__future__" or imp.relative:
                continue
            if isinstance(imp.names, cst.ImportStar):
                continue
            for alias in imp.names:
                if pyedit._dotted(alias.name) != "annotations":
                    continue
                fix = None
                resolver = resolver_for(self.project, module)
                if not annotations_need_postponing(module, resolver):
                    edit = pyedit.remove_import_alias(module, stmt, imp, alias)
                    if edit is not None:
                        fix = self.fix("Remove `from __future__ import annotations`", edit)
                self.report(
                    alias, 'the pipelines runtime refuses modules with postponed annotations '
                    '(`predictor with "from __future__ import annotations" is not supported`)',
                    help="remove the import: Python 3.13 needs it for nothing cog uses"
                    + ("" if fix else "; first quote forward references (`-> \"Output\"`) or define those classes earlier"),
                    fix=fix)

    VALID = [Case("def run(prompt: str) -> str:\n    return prompt\n"),
             Case("from __future__ import division\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case("from __future__ import annotations\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 24)], fixed="def run(prompt: str) -> str:\n    return prompt\n"),
        Case('"""A model."""\nfrom __future__ import annotations, division\n\nfrom cog import BaseModel\n\n\n'
             "class Output(BaseModel):\n    text: str\n\n\ndef run(prompt: str) -> Output:\n    return Output(text=prompt)\n",
             expect=[(2, 24)],
             fixed='"""A model."""\nfrom __future__ import division\n\nfrom cog import BaseModel\n\n\n'
                   "class Output(BaseModel):\n    text: str\n\n\ndef run(prompt: str) -> Output:\n    return Output(text=prompt)\n"),
        Case("from __future__ import annotations\nfrom cog import BaseModel\n\n\ndef run(prompt: str) -> Output:\n"
             "    return Output(text=prompt)\n\n\nclass Output(BaseModel):\n    text: str\n",
             expect=[(1, 24)], note="a forward reference needs the import: no fix"),
        Case("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
             "    from decimal import Decimal\n\n\ndef helper(x: Decimal) -> str:\n    return str(x)\n\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n", expect=[(1, 24)]),
    ]


BASE_PREDICTORS = {"cog.BasePredictor", "cog.predictor.BasePredictor", "coglet.api.BasePredictor",
                   "cog.base_predictor.BasePredictor"}


def _inherits_base_predictor(classdef, resolver, depth=0):
    """True, False, or None when a base cannot be followed."""
    import libcst as cst

    if depth > 20:
        return None
    unknown = False
    for arg in classdef.bases:
        if arg.keyword is not None:
            continue
        names = resolver.qualified_names(arg.value)
        if names & BASE_PREDICTORS:
            return True
        local = [n for n in names if n in resolver.toplevel]
        if local:
            target = [n for n in resolver.toplevel[local[0]] if isinstance(n, cst.ClassDef)]
            if target and target[-1] is not classdef:
                found = _inherits_base_predictor(target[-1], resolver, depth + 1)
                if found:
                    return True
                unknown = unknown or found is None
                continue
        if not names or not all(n.startswith("builtins.") for n in names):
            unknown = True
    return None if unknown else False


class ClassEntry(Rule):
    """The entry is a class.

    ## What it does
    Reports a `predict:` that names a class, and what the pipelines runtime needs of such a
    class: to subclass `cog.BasePredictor`, to define `predict()` (it never calls `run()`),
    `self` as the first parameter, and a `setup()` that takes nothing but `self` (and
    `weights`) and returns nothing.

    ## Why is this bad?
    Pipelines are functions: the guide documents only `predict: "main.py:run"` with a
    top-level `def run(...)`. A class loads only when it meets coglet's rules; otherwise it
    fails with `predictor main.Predictor does not inherit cog.BasePredictor`,
    `predict method not found`, `predict() must have 'self' first argument` or
    `unexpected setup() arguments`.

    ## Example
    ```python
    class Predictor:
        def run(self, prompt: str) -> str:
            return prompt
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return prompt
    ```
    """

    code = "PL313"
    name = "class-entry"
    severity = Severity.WARNING
    files = ("python",)
    metadata = ENTRY_METADATA

    def check(self) -> None:
        from pipelint.analysis.entry import class_methods, entry_of

        entry = entry_of(self.project)
        if entry is None or not entry.is_class:
            return
        cls = entry.node
        name = cls.name.value
        full = f"{entry.module.name}.{name}"
        methods = class_methods(cls)
        problems = []
        inherits = _inherits_base_predictor(cls, entry.types)
        if inherits is False:
            problems.append(f"it does not subclass `cog.BasePredictor` (`predictor {full} does not inherit cog.BasePredictor`)")
        if "predict" not in methods and inherits is not None:
            if "run" in methods:
                problems.append("it defines `run()`, but the pipelines runtime calls only `predict()`")
            else:
                problems.append(f"it has no `predict()` method (`predict method not found: {full}`)")
        message = f"the entry `{name}` is a class, but pipelines are functions"
        if problems:
            message += "; the runtime cannot load it: " + "; ".join(problems)
        self.report(cls.name, message,
                    help=f'write a top-level `def run(...) -> ...:` and point cog.yaml at it (`predict: "{entry.module.rel}:run"`)')
        self._check_self(entry)
        if "setup" in methods:
            self._check_setup(methods["setup"])

    def _check_self(self, entry) -> None:
        import libcst as cst

        f = entry.function
        if f is None:
            return
        first = entry.self_param
        fname = f.name.value
        if first is None or first.name.value != "self":
            if any(isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in f.decorators):
                detail = "is a static method"
            else:
                detail = "does not take `self` as its first parameter"
            self.report(f.name, f"`{fname}()` {detail} (`{fname}() must have 'self' first argument`)",
                        help=f"write `def {fname}(self, ...)`")

    def _check_setup(self, setup) -> None:
        import libcst as cst

        p = setup.params
        positional = [*p.posonly_params, *p.params]
        required = [x.name.value for x in positional if x.default is None]
        problems = []
        if not required or required[0] != "self":
            problems.append("`setup() must have 'self' first argument`")
        extra = [n for n in required if n not in ("self", "weights")]
        if extra:
            problems.append(f"`unexpected setup() arguments: {', '.join(extra)}`")
        if isinstance(p.star_arg, cst.Param):
            problems.append("`setup() must not have *args`")
        if p.star_kwarg is not None:
            problems.append("`setup() must not have **kwargs`")
        if p.kwonly_params:
            problems.append("`setup() must not have keyword-only args`")
        ret = setup.returns
        if ret is not None and not (isinstance(ret.annotation, cst.Name) and ret.annotation.value == "None"):
            problems.append("`setup() must return None`")
        if problems:
            self.report(setup.name, "the runtime refuses this `setup()`: " + "; ".join(problems),
                        help="write `def setup(self) -> None:` (pipelines have no setup step: do the work in the function)")

    VALID = [Case("def run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self, prompt: str) -> str:\n        return prompt\n"},
             expect=[(4, 7)]),
        Case({"cog.yaml": 'predict: "main.py:Runner"\n',
              "main.py": "class Runner:\n    def run(self, prompt: str) -> str:\n        return prompt\n"},
             expect=[(1, 7)]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "import cog\n\n\n@some_decorator\nclass Predictor(cog.BasePredictor):\n"
                         "    def setup(self, model_path):\n        pass\n\n"
                         "    def predict(prompt: str) -> str:\n        return prompt\n"},
             expect=[(5, 7), (6, 9), (9, 9)]),
    ]
