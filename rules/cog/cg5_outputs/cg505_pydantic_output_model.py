"""CG505 pydantic-output-model: A pydantic `BaseModel` with a cog type field, or a pydantic output with `arbitrary_types_allowed`."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'
_RUNNER = "\n\nclass Runner(BaseRunner):\n    def run(self) -> Output:\n        return Output(image=Path('x'))\n"


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "main.py": None, "predict.py": src}, **kw)


class PydanticOutput(Rule):
    """A pydantic `BaseModel` with a cog type field; a pydantic output class instead of `cog.BaseModel`.

    ## What it does
    Reports a pydantic `BaseModel` subclass of the model's modules with a field of a cog type
    (`cog.Path`, `cog.File`, `cog.Secret`, also inside `Optional`/`list`) and no
    `arbitrary_types_allowed` (error); and a pydantic output class (one the entry returns) that
    sets `arbitrary_types_allowed` (info: it works, `cog.BaseModel` is the supported form).

    ## Why is this bad?
    Since cog 0.17 cog's types are no pydantic types. pydantic cannot build a schema for the
    field, so the module fails at import (`PydanticSchemaGenerationError: Unable to generate
    pydantic-core schema for <class 'cog.types.Path'>`) and the model cannot start.
    `arbitrary_types_allowed` makes it build and serve, but `cog doctor` flags it
    (`… inherits from pydantic.BaseModel with arbitrary_types_allowed; use cog.BaseModel instead`).

    ## Example
    ```python
    from pydantic import BaseModel
    from cog import Path

    class Output(BaseModel):
        image: Path
    ```

    ## Use instead
    ```python
    from cog import BaseModel, Path

    class Output(BaseModel):
        image: Path
    ```

    ## Fix safety
    The fix makes the class a `cog.BaseModel` (deleting a configuration that only allowed
    arbitrary types); offered when the class uses no other pydantic feature. It is unsafe: the
    class becomes a dataclass, without pydantic's validation, coercion and methods.
    """

    code = "CG505"
    name = "pydantic-output-model"
    severity = Severity.ERROR
    also_severities = (Severity.INFO,)  # the arbitrary_types_allowed output
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("python",)
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self) -> None:
        from pipelint.analysis import output_models as O

        outputs = O.output_classes(self.project)
        for model in O.model_classes(self.project):
            if O.flavor(self.project, model) != "pydantic":
                continue
            module = O.module_of(model)
            allowed = O.arbitrary_types_allowed(model)
            if not allowed:
                for field, part, name in O.cog_type_fields(model):
                    self.report(part.node, f"field `{field.name}` of pydantic model `{model.name}` is a `cog.{name}`: "
                                "pydantic cannot build its schema, so the module fails at import "
                                f"(`PydanticSchemaGenerationError: Unable to generate pydantic-core schema for "
                                f"<class 'cog.types.{name}'>`)", module=module,
                                help=f"make `{model.name}` a `cog.BaseModel`", fix=self._fix(model))
            elif model in outputs:
                base = model.base if model.base is not None else model.node.name
                self.report(base, f"output `{model.name}` is a pydantic model with `arbitrary_types_allowed`: it "
                            "works, but `cog.BaseModel` is the supported form for outputs", module=module,
                            severity=Severity.INFO, help=f"make `{model.name}` a `cog.BaseModel`",
                            fix=self._fix(model))

    def _fix(self, model):
        from pipelint.analysis import output_models as O
        from pipelint.edits import pyedit

        module = O.module_of(model)
        if model.base is None or O.validators(model) or O.pydantic_fields(model):
            return None
        removals = []
        for cfg in O.pydantic_config(model):
            if not cfg.complete or set(cfg.keys) != {"arbitrary_types_allowed"}:
                return None
            removals.append(pyedit.delete_lines(module, cfg.node))
        fields = O.dataclass_fields(self.project, model)
        seen_default = False
        for d in fields:  # the dataclass it becomes must import
            if d.mutable or (seen_default and not d.has_default):
                return None
            seen_default = seen_default or d.has_default
        if len(model.fields) == 0:
            return None
        plan = pyedit.ensure_import(module, "cog", "BaseModel",
                                    avoid={n for n in [O.T.dotted_name(model.base)] if n})
        return self.fix(f"Make `{model.name}` a `cog.BaseModel`", self.edit_node(model.base, plan.name, module),
                        *plan.edits, *removals)

    VALID = [
        _case("from cog import BaseModel, BaseRunner, Path\n\n\nclass Output(BaseModel):\n    image: Path\n" + _RUNNER),
        _case("from pathlib import Path\n\nfrom pydantic import BaseModel\nfrom cog import BaseRunner\n\n\n"
              "class Output(BaseModel):\n    image: Path\n" + _RUNNER, note="pathlib's Path is a pydantic type"),
    ]
    INVALID = [
        _case("from typing import Optional\n\nfrom pydantic import BaseModel\nfrom cog import BaseRunner, Path\n\n\n"
              "class Output(BaseModel):\n    image: Optional[Path] = None\n" + _RUNNER,
              expect=[("predict.py", 8, 21, 8, 25, "field `image` of pydantic model `Output` is a `cog.Path`")],
              fixed={"predict.py": "from typing import Optional\n\nfrom cog import BaseModel as CogBaseModel\n"
                     "from pydantic import BaseModel\nfrom cog import BaseRunner, Path\n\n\n"
                     "class Output(CogBaseModel):\n    image: Optional[Path] = None\n" + _RUNNER}),
        _case("import pydantic\nfrom cog import BaseRunner, Path\n\n\nclass Output(pydantic.BaseModel):\n"
              "    image: Path\n\n    class Config:\n        arbitrary_types_allowed = True\n" + _RUNNER,
              expect=[("predict.py", 5, 14, 5, 32, "output `Output` is a pydantic model with `arbitrary_types_allowed`")],
              fixed={"predict.py": "import pydantic\nfrom cog import BaseModel, BaseRunner, Path\n\n\n"
                     "class Output(BaseModel):\n    image: Path\n" + _RUNNER}),
    ]
