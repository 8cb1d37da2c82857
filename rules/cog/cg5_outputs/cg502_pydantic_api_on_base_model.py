"""CG502 pydantic-api-on-base-model: pydantic-only API on a `cog.BaseModel`, a dataclass since cog 0.17."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'
_HEAD = "from cog import BaseModel, BaseRunner\n\n\n"


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "main.py": None, "predict.py": src}, **kw)


class PydanticApiOnBaseModel(Rule):
    """pydantic-only API used on a `cog.BaseModel`, which is a dataclass since cog 0.17.

    ## What it does
    Reports, for a `cog.BaseModel` subclass of the model's modules: `.dict()`, `.json()`,
    `.model_dump()`, `.copy()`, `parse_obj()` and the other pydantic model methods called on the
    class or on its instances (`self`, `Output(...)`, a variable assigned or annotated as the
    class); a `class Config:` or `model_config = …` in its body; pydantic's `Field(...)` as a
    field default; pydantic validators and serializers on its methods.

    ## Why is this bad?
    Since cog 0.17 `cog.BaseModel` is no pydantic model: cog turns every subclass into a plain
    dataclass. The methods do not exist (`AttributeError: 'Output' object has no attribute
    'dict'`, at the request), and the configuration, `Field()` constraints and validators are
    silently ignored — a `Field(default=…)` default becomes the `FieldInfo` object itself.

    ## Example
    ```python
    class Output(BaseModel):
        text: str = Field(description="the answer")

    class Runner(BaseRunner):
        def run(self) -> dict:
            return Output(text="hi").dict()
    ```

    ## Use instead
    ```python
    import dataclasses

    class Output(BaseModel):
        text: str

    class Runner(BaseRunner):
        def run(self) -> dict:
            return dataclasses.asdict(Output(text="hi"))
    ```
    """

    code = "CG502"
    name = "pydantic-api-on-base-model"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("python",)

    def check(self) -> None:
        from pipelint.analysis import output_models as O

        lead = "cog >=0.17 makes `{c}` a dataclass, not a pydantic model"
        for model in O.model_classes(self.project):
            if not O.is_dataclass_model(self.project, model):
                continue
            module = O.module_of(model)
            c = model.name
            for module_used, node, attr in O.pydantic_api_uses(self.project, model):
                self.report(node.attr, f"`.{attr}` is pydantic API: {lead.format(c=c)}, so it fails at the request "
                            f"(`AttributeError: '{c}' object has no attribute '{attr}'`)", module=module_used,
                            help=_API_HELP.get(attr, "use the dataclass's own fields, or `dataclasses.asdict()`"))
            for cfg in O.pydantic_config(model):
                import libcst as cst

                node = cfg.node.name if isinstance(cfg.node, cst.ClassDef) else cfg.node
                what = "`class Config`" if isinstance(cfg.node, cst.ClassDef) else "`model_config`"
                self.report(node, f"{what} is pydantic configuration: {lead.format(c=c)}, so it is silently "
                            "ignored", module=module, help="delete it; a dataclass has no such options")
            for field, call in O.pydantic_fields(model):
                self.report(call.func, f"pydantic `Field()` as the default of `{field.name}`: {lead.format(c=c)}, so "
                            "its constraints are ignored and the default is the `FieldInfo` object itself",
                            module=module, help=f"write a plain default (`{field.name}: … = value`) or "
                                                "`dataclasses.field(default=…)`")
            for deco, name in O.validators(model):
                self.report(deco.decorator, f"pydantic `@{name}` on `{c}`: {lead.format(c=c)}, so it never runs",
                            module=module, help="check the values in `__post_init__(self)` instead")

    VALID = [
        _case(_HEAD + "class Output(BaseModel):\n    text: str\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self) -> dict:\n        import dataclasses\n        return dataclasses.asdict(Output(text=''))\n"),
        _case("import json\nfrom pydantic import BaseModel\nfrom cog import BaseRunner\n\n\nclass Output(BaseModel):\n"
              "    text: str\n\n    class Config:\n        extra = 'forbid'\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self) -> str:\n        return Output(text='').json()\n", note="a pydantic model keeps its API"),
    ]
    INVALID = [
        _case(_HEAD + "class Output(BaseModel):\n    text: str\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self) -> dict:\n        out = Output(text='')\n        return out.dict()\n",
              expect=[("predict.py", 11, 20, 11, 24, "(`AttributeError: 'Output' object has no attribute 'dict'`)")]),
        _case("from pydantic import Field, validator\nfrom cog import BaseModel, BaseRunner\n\n\n"
              "class Output(BaseModel):\n    text: str = Field(description='answer')\n\n    class Config:\n"
              "        arbitrary_types_allowed = True\n\n    @validator('text')\n    def strip(cls, v):\n"
              "        return v.strip()\n\n    def as_json(self) -> str:\n        return self.json()\n\n\n"
              "class Runner(BaseRunner):\n    def run(self) -> Output:\n        return Output.parse_obj({'text': ''})\n",
              expect=[("predict.py", 6, 17, 6, 22, "pydantic `Field()` as the default of `text`"),
                      ("predict.py", 8, 11, 8, 17, "`class Config` is pydantic configuration"),
                      ("predict.py", 11, 6, 11, 23, "pydantic `@validator` on `Output`"),
                      ("predict.py", 16, 21, 16, 25, "`.json` is pydantic API"),
                      ("predict.py", 21, 23, 21, 32, "`.parse_obj` is pydantic API")]),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\nfrom outputs import Output\n\n\nclass Runner(BaseRunner):\n"
                            "    def run(self) -> dict:\n        return Output(text='').model_dump()\n",
              "outputs.py": "from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n"
                            "    model_config = {'frozen': True}\n"},
             expect=[("outputs.py", 6, 5, 6, 36, "`model_config` is pydantic configuration"),
                     ("predict.py", 7, 32, 7, 42, "`.model_dump` is pydantic API")]),
    ]


_API_HELP = {
    "dict": "use `dataclasses.asdict(obj)`",
    "model_dump": "use `dataclasses.asdict(obj)`",
    "json": "use `json.dumps(dataclasses.asdict(obj))`",
    "model_dump_json": "use `json.dumps(dataclasses.asdict(obj))`",
    "copy": "use `dataclasses.replace(obj)`",
    "model_copy": "use `dataclasses.replace(obj)`",
    "parse_obj": "construct it directly: `Output(**data)`",
    "model_validate": "construct it directly: `Output(**data)`",
}
