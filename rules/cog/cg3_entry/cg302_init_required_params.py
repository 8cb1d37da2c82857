"""CG302 init-required-params: A class entry whose `__init__` has required parameters."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'


def _required(function) -> tuple[list, list]:
    """(positional, keyword-only) parameters without a default, ``self`` excluded."""
    import libcst as cst

    p = function.params
    positional = [x for x in (*p.posonly_params, *p.params)][1:]
    kwonly = list(p.kwonly_params)
    return ([x for x in positional if x.default is None],
            [x for x in kwonly if x.default is None and not isinstance(x, cst.ParamStar)])


def python_missing_message(owner: str, method: str, positional: list, kwonly: list) -> str:
    """Python's own ``TypeError`` text for a call that passes none of these parameters."""
    def names(params):
        quoted = [f"'{x.name.value}'" for x in params]
        return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]

    if positional:
        n = len(positional)
        return (f"{owner}.{method}() missing {n} required positional argument{'s' if n > 1 else ''}: "
                f"{names(positional)}")
    n = len(kwonly)
    return f"{owner}.{method}() missing {n} required keyword-only argument{'s' if n > 1 else ''}: {names(kwonly)}"


class InitRequiredParams(Rule):
    """A class entry whose `__init__` has required parameters.

    ## What it does
    Reports the `__init__` of a class named by `run:`, `predict:` or `train:` (its own, or one
    inherited from a base class defined in the same module) that has parameters without a
    default, other than `self`.

    ## Why is this bad?
    cog's loader instantiates the entry class with no arguments (`predictor()` in
    `cog.predictor.load_predictor_from_ref`). The build passes, but the model cannot boot:
    `TypeError: Predictor.__init__() missing 1 required positional argument: 'model_path'`.

    ## Example
    ```python
    class Predictor(BasePredictor):
        def __init__(self, model_path: str):
            self.model_path = model_path
    ```

    ## Use instead
    Load what the model needs in `setup()`, or give every parameter a default:
    ```python
    class Predictor(BasePredictor):
        def setup(self) -> None:
            self.model_path = "./weights"
    ```
    """

    code = "CG302"
    name = "init-required-params"
    targets = ("cog",)
    cog_versions = ""
    files = ("python",)
    metadata = ("qualified_name", "scope", "position")

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.cog_entry import cog_entries
        from pipelint.analysis.entry import class_methods

        seen = set()
        for e in cog_entries(self.project):
            if not isinstance(e.node, cst.ClassDef):
                continue
            init, owner = None, e.class_name
            for c in e.mro:
                init = class_methods(c).get("__init__")
                if init is not None:
                    owner = c.name.value
                    break
            if init is None or id(init) in seen:
                continue  # no local __init__ (an imported base's is not read)
            seen.add(id(init))
            if any(isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")
                   for d in init.decorators):
                continue
            positional, kwonly = _required(init)
            if not positional and not kwonly:
                continue
            names = ", ".join(f"`{x.name.value}`" for x in (*positional, *kwonly))
            via = f" (inherited by `{e.class_name}`)" if owner != e.class_name else ""
            self.report(init.name, f"`{owner}.__init__`{via} has required parameters ({names}), but cog "
                                   f"instantiates the entry class with no arguments: the model cannot boot "
                                   f"(`TypeError: {python_missing_message(owner, '__init__', positional, kwonly)}`)",
                        module=e.module,
                        help="load what the model needs in `setup()`, or give every `__init__` parameter a default")

    VALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass Runner(BaseRunner):\n    def __init__(self, device='cuda', *args, **kwargs):\n"
                            "        self.device = device\n\n    def run(self) -> str:\n        return ''\n"}),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\nfrom base import Base\n\nclass Runner(Base):\n    def run(self) -> str:\n        return ''\n"},
             note="an imported base's __init__ is not read"),
    ]
    INVALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass Runner(BaseRunner):\n    def __init__(self, model_path: str, *, dtype):\n"
                            "        self.model_path = model_path\n\n    def run(self) -> str:\n        return ''\n"},
             expect=[("predict.py", 4, 9, 4, 17, "(`TypeError: Runner.__init__() missing 1 required positional argument: "
                                                 "'model_path'`)")]),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass Loader:\n    def __init__(self, a, b):\n        pass\n\n"
                            "class Runner(Loader, BaseRunner):\n    def run(self) -> str:\n        return ''\n"},
             expect=[("predict.py", 4, 9, 4, 17, "`Loader.__init__` (inherited by `Runner`) has required parameters (`a`, `b`)")],
             note="inherited from a local base"),
    ]
