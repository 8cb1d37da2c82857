"""CG501 base-model-dataclass-fields: A `cog.BaseModel` field the dataclass cog makes of it refuses."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'
_HEAD = "from typing import Optional\n\nfrom cog import BaseModel, BaseRunner, Path\n\n\n"
_RUNNER = "\n\nclass Runner(BaseRunner):\n    def run(self) -> Output:\n        return Output(text='')\n"


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "main.py": None, "predict.py": src}, **kw)


class BaseModelDataclassFields(Rule):
    """A `cog.BaseModel` field that the dataclass cog makes of the class refuses.

    ## What it does
    Reports, in a `cog.BaseModel` subclass of the model's modules (the entry and the local
    modules it imports), a first base that is not a `BaseModel` (a mixin listed first), a field without a default after one with a default (inherited fields
    count), a mutable default (`[]`, `{}`, `set()`, `list()`, …), and an `Optional[...]` field
    without `= None`. `kw_only=True` in the class keywords lifts the order rule;
    `auto_dataclass=False` turns the class into a plain class and nothing is checked.

    ## Why is this bad?
    Since cog 0.17 `cog.BaseModel` is not pydantic: every subclass is made a dataclass when it
    is defined. A pydantic-era output class that worked on cog 0.16 then fails at import, so the
    model cannot start (`TypeError: non-default argument 'text' follows default argument
    'image'`, `ValueError: mutable default <class 'list'> for field tags is not allowed: use
    default_factory`, `TypeError: Primary base class of "Output" must inherit from
    BaseModel`), or, for an `Optional` field without a default, at the request that leaves
    it out (`TypeError: Output.__init__() missing 1 required positional argument: 'error'`).

    ## Example
    ```python
    class Output(BaseModel):
        image: Optional[Path] = None
        text: str
        tags: list[str] = []
        error: Optional[str]
    ```

    ## Use instead
    ```python
    from dataclasses import field

    class Output(BaseModel):
        text: str
        image: Optional[Path] = None
        tags: list[str] = field(default_factory=list)
        error: Optional[str] = None
    ```

    ## Fix safety
    Adding `= None` to an `Optional` field is safe (offered when no field without a default
    follows it). Moving the fields without a default before the others is unsafe: it changes
    the order of the positional arguments of the class's constructor.
    """

    code = "CG501"
    name = "base-model-dataclass-fields"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("python",)
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.analysis import annotations as T
        from pipelint.analysis import output_models as O

        for model in O.model_classes(self.project):
            if not O.is_dataclass_model(self.project, model):
                continue
            module = O.module_of(model)
            positional = [a for a in model.node.bases if a.keyword is None]
            if positional and model.base is not None and positional[0].value is not model.base:
                self.report(positional[0].value, f"the first base of `{model.name}` is not a `BaseModel`: cog >=0.17 "
                            f"refuses the class at import (`TypeError: Primary base class of \"{model.name}\" must "
                            "inherit from BaseModel`)", module=module,
                            help=f"list `{O.T.dotted_name(model.base) or 'BaseModel'}` first")
                continue
            fields = O.dataclass_fields(self.project, model)
            kw_only = O.is_kw_only(model)
            first_default = None
            for i, d in enumerate(fields):
                own = d.owner is model
                optional = d.field.type.kind == T.OPTIONAL
                if d.mutable and own:
                    kind = _code(module, d.field.node.value).split("(")[0].strip() or "value"
                    self.report(d.field.node.value, f"mutable default `{kind}` for field `{d.name}` of "
                                f"`{model.name}`: cog >=0.17 makes `{model.name}` a dataclass, which fails at import "
                                f"(`ValueError: mutable default … for field {d.name} is not allowed: use "
                                "default_factory`)", module=module,
                                help=f"write `{d.name}: … = field(default_factory=…)` (from dataclasses)")
                if d.has_default:
                    first_default = first_default or d
                    continue
                later_plain = [x for x in fields[i + 1:] if not x.has_default and x.field.type.kind != T.OPTIONAL]
                if optional and own:
                    fix = None
                    if not later_plain or kw_only:
                        edits = [self._add_none(module, x) for x in fields[i:]
                                 if x.owner is model and not x.has_default and x.field.type.kind == T.OPTIONAL]
                        fix = self.fix(f"Add `= None` to `{d.name}`", *edits, applicability=Applicability.SAFE)
                    if first_default is not None and not kw_only:
                        why = (f"which fails at import (`TypeError: non-default argument '{d.name}' follows default "
                               f"argument '{first_default.name}'`)")
                    else:
                        why = (f"so leaving it out fails (`TypeError: {model.name}.__init__() missing 1 required "
                               f"positional argument: '{d.name}'`)")
                    self.report(d.field.target, f"Optional field `{d.name}` of `{model.name}` has no default: cog "
                                f">=0.17 makes `{model.name}` a dataclass, {why}", module=module,
                                help=f"write `{d.name}: … = None`", fix=fix)
                    continue
                if first_default is not None and not kw_only and own:
                    self.report(d.field.target, f"field `{d.name}` of `{model.name}` has no default but follows "
                                f"`{first_default.name}`, which has one: cog >=0.17 makes `{model.name}` a dataclass, "
                                f"which fails at import (`TypeError: non-default argument '{d.name}' follows default "
                                f"argument '{first_default.name}'`)", module=module,
                                help="put the fields without a default first, give this one a default, or declare "
                                     f"`class {model.name}(BaseModel, kw_only=True)`",
                                fix=self._reorder(module, model, fields))

    def _add_none(self, module, d):
        from pipelint.core.diagnostics import Edit

        _, end = module.range(d.field.node.annotation)
        return Edit(module.source.path, end, end, " = None")

    def _reorder(self, module, model, fields):
        """Fields without a default first (stable), when every field is this class's and sits alone on
        its line."""
        import libcst as cst

        if any(d.owner is not model for d in fields):
            return None
        stmts = []
        body = model.node.body.body if isinstance(model.node.body, cst.IndentedBlock) else []
        by_node = {id(d.field.node): d for d in fields}
        for stmt in body:
            if isinstance(stmt, cst.SimpleStatementLine) and any(id(s) in by_node for s in stmt.body):
                if len(stmt.body) != 1:
                    return None
                stmts.append(by_node[id(stmt.body[0])])
        if len(stmts) != len(fields):
            return None
        wanted = [d for d in stmts if not d.has_default] + [d for d in stmts if d.has_default]
        edits = [self.edit_node(old.field.node, _code(module, new.field.node), module)
                 for old, new in zip(stmts, wanted, strict=True) if old is not new]
        if not edits:
            return None
        return self.fix(f"Move the fields of `{model.name}` without a default first", *edits,
                        applicability=Applicability.UNSAFE)

    VALID = [
        _case(_HEAD + "class Output(BaseModel):\n    text: str\n    image: Optional[Path] = None\n" + _RUNNER),
        _case(_HEAD + "from dataclasses import field\n\n\nclass Output(BaseModel):\n    text: str\n"
              "    tags: list[str] = field(default_factory=list)\n" + _RUNNER),
        _case(_HEAD + "class Output(BaseModel, kw_only=True):\n    image: Optional[Path] = None\n    text: str\n" + _RUNNER,
              note="kw_only=True is passed to dataclass(): no order rule"),
        _case(_HEAD + "class Output(BaseModel, auto_dataclass=False):\n    tags: list = []\n    text: str\n"
              "    def __init__(self, text=''):\n        self.text = text\n" + _RUNNER),
        _case("from typing import ClassVar\n\nfrom pydantic import BaseModel\nfrom cog import BaseRunner\n\n\n"
              "class Output(BaseModel):\n    tags: list[str] = []\n    text: str\n" + _RUNNER,
              note="a pydantic model is not a dataclass"),
    ]
    INVALID = [
        _case(_HEAD + "class Output(BaseModel):\n    image: Optional[Path] = None\n    text: str\n" + _RUNNER,
              expect=[("predict.py", 8, 5, 8, 9, "`TypeError: non-default argument 'text' follows default argument "
                                                 "'image'`")],
              fixed={"predict.py": _HEAD + "class Output(BaseModel):\n    text: str\n    image: Optional[Path] = None\n"
                     + _RUNNER}),
        _case(_HEAD + "class Output(BaseModel):\n    text: str\n    tags: list[str] = []\n" + _RUNNER,
              expect=[("predict.py", 8, 23, 8, 25, "mutable default `[]` for field `tags` of `Output`")]),
        _case(_HEAD + "class Output(BaseModel):\n    text: str\n    error: Optional[str]\n    seed: Optional[int]\n"
              + _RUNNER,
              expect=[("predict.py", 8, 5, 8, 10, "`TypeError: Output.__init__() missing 1 required positional "
                                                  "argument: 'error'`"),
                      ("predict.py", 9, 5, 9, 9, "Optional field `seed` of `Output` has no default")],
              fixed={"predict.py": _HEAD + "class Output(BaseModel):\n    text: str\n    error: Optional[str] = None\n"
                     "    seed: Optional[int] = None\n" + _RUNNER}),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\nfrom schema import Result as Output\n" + _RUNNER,
              "schema.py": "from cog import BaseModel\n\n\nclass Base(BaseModel):\n    score: float = 0.0\n\n\n"
                           "class Result(Base):\n    text: str\n"},
             expect=[("schema.py", 9, 5, 9, 9, "field `text` of `Result` has no default but follows `score`")],
             note="a class of a local module, with an inherited default"),
        _case(_HEAD + "class Mixin:\n    pass\n\n\nclass Output(Mixin, BaseModel):\n    text: str\n" + _RUNNER,
              expect=[("predict.py", 10, 14, 10, 19, 'must inherit from BaseModel')]),
    ]


def _code(module, node) -> str:
    return module.tree.code_for_node(node)
