"""The engine models the PL3/PL4 rules stand on, read from real model folders: annotation types
(pipelint.analysis.annotations), Input() calls (pipelint.analysis.inputs) and import edits (pipelint.edits.pyedit)."""

from __future__ import annotations

import pytest
from conftest import write_model

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import entry_of
from pipelint.analysis.inputs import UNKNOWN, literal_value
from pipelint.edits.apply import apply_edits
from pipelint.engine.rule import DEFAULT_COG_YAML, DEFAULT_REQUIREMENTS
from pipelint.model.project import Project

HEADER = '''\
import collections.abc
import datetime
import pathlib
import typing
import typing as t
import typing_extensions
from typing import Dict, Iterator, List, Optional, Union

import cog
from cog import BaseModel as BM
from cog import ConcatenateIterator, Path as P, Secret
from helpers import Local
from PIL import Image
from pydantic import BaseModel

MaybeInt = Optional[int]
Tags: typing.TypeAlias = "list[str]"
type Pair = tuple[int, int]
Loop = Loop


class Output(BM):
    text: str


class Plain:
    pass


class Legacy(BaseModel):
    text: str


class Child(Output):
    extra: int
'''

# (annotation as written, its normalised shape)
CASES = [
    ("str", "scalar:str"),
    ("int", "scalar:int"),
    ("bool", "scalar:bool"),
    ("P", "path"),
    ("cog.Path", "path"),
    ("pathlib.Path", "path"),
    ("Secret", "secret"),
    ("cog.File", "file"),
    ("Optional[int]", "optional(Optional)[scalar:int]"),
    ("t.Optional[str]", "optional(Optional)[scalar:str]"),
    ("typing_extensions.Optional[str]", "optional(Optional)[scalar:str]"),
    ("int | None", "optional(pep604)[scalar:int]"),
    ("None | P", "optional(pep604)[path]"),
    ("Union[int, None]", "optional(Union)[scalar:int]"),
    ("Union[None, str]", "optional(Union)[scalar:str]"),
    ("str | int", "union(pep604)[scalar:str, scalar:int]"),
    ("Optional[Union[str, int]]", "optional(Optional)[union(Union)[scalar:str, scalar:int]]"),
    ("list[str]", "list(list)[scalar:str]"),
    ("List[P]", "list(List)[path]"),
    ("t.List", "list(List)"),
    ("list[list[int]]", "list(list)[list(list)[scalar:int]]"),
    ("dict", "dict"),
    ("Dict[str, int]", "dict[scalar:str, scalar:int]"),
    ("typing.Any", "any"),
    ("Iterator[str]", "iterator:Iterator[scalar:str]"),
    ("collections.abc.AsyncIterator[P]", "iterator:AsyncIterator[path]"),
    ("ConcatenateIterator[str]", "iterator:ConcatenateIterator[scalar:str]"),
    ("cog.AsyncConcatenateIterator[str]", "iterator:AsyncConcatenateIterator[scalar:str]"),
    ("t.Iterator", "iterator:Iterator"),
    ("None", "none"),
    ("Output", "model:cog"),
    ("'Output'", "model:cog*"),
    ("Child", "model:cog"),
    ("Legacy", "model:pydantic"),
    ("Plain", "model:None"),
    ("Later", "model:cog"),
    ("'Optional[Later]'", "optional(Optional)*[model:cog*]"),
    ("Optional['Output']", "optional(Optional)[model:cog*]"),
    ("MaybeInt", "optional(Optional)*[scalar:int*]"),
    ("Tags", "list(list)*[scalar:str*]"),
    ("Pair", "other:tuple*[scalar:int*, scalar:int*]"),
    ("Loop", "unknown*"),
    ("Local", "unknown"),
    ("Undefined", "unknown"),
    ("Image.Image", "other:Image"),
    ("datetime.datetime", "other:datetime"),
    ("typing.Literal['a', 'b']", "other:Literal"),
    ("typing.Annotated[str, 'meta']", "other:Annotated"),
    ("tuple", "other:tuple"),
    ("bytes", "other:bytes"),
    ("'not valid ]['", "unknown"),
]


def shape(t: T.PyType) -> str:
    s = t.kind
    if t.kind in (T.SCALAR, T.ITERATOR, T.OTHER) and t.name:
        s += f":{t.name}"
    if t.kind == T.MODEL:
        s += f":{t.model.flavor}"
    if t.spelling and t.kind in (T.OPTIONAL, T.UNION, T.LIST):
        s += f"({t.spelling})"
    if not t.written:
        s += "*"
    if t.args:
        s += "[" + ", ".join(shape(a) for a in t.args) + "]"
    return s


@pytest.fixture(scope="module")
def entry(tmp_path_factory):
    params = ",\n".join(f"    p{i}: {ann}" for i, (ann, _) in enumerate(CASES))
    main = f"{HEADER}\n\ndef run(\n{params},\n) -> Output:\n    return Output(text='')\n\n\nclass Later(BM):\n    n: int\n"
    root = write_model(tmp_path_factory.mktemp("types") / "model", {
        "cog.yaml": DEFAULT_COG_YAML, "requirements.txt": DEFAULT_REQUIREMENTS, "main.py": main,
        "helpers.py": "Local = str\n"})
    e = entry_of(Project(root))
    assert e is not None and len(e.params) == len(CASES)
    return e


@pytest.mark.parametrize("index", range(len(CASES)), ids=[a for a, _ in CASES])
def test_annotation_shape(entry, index):
    ann, expected = CASES[index]
    assert shape(entry.params[index].type) == expected


def test_parts_point_at_the_use_site(entry):
    """A part read through an alias or a string is reported where the annotation is written."""
    by_ann = {ann: p for (ann, _), p in zip(CASES, entry.params, strict=True)}
    alias = by_ann["MaybeInt"]
    assert alias.type.node is alias.annotation and alias.type.inner.node is alias.annotation
    string = by_ann["'Optional[Later]'"]
    assert string.type.node is string.annotation and string.type.inner.node is string.annotation
    nested = by_ann["Optional['Output']"]
    assert nested.type.inner.node is nested.annotation.slice[0].slice.value
    pep604 = by_ann["int | None"]
    assert pep604.type.written and pep604.type.inner.node is pep604.annotation.left


def test_the_module_spelling_of_unions_is_known(entry):
    assert entry.types.uses_pep604


def test_return_type_and_output_model_fields(entry):
    assert shape(entry.returns) == "model:cog"
    assert [(f.name, shape(f.type)) for f in entry.output_models[0].fields] == [("text", "scalar:str")]


@pytest.mark.parametrize("source,expected", [
    ("3", 3), ("-2.5", -2.5), ("+4", 4), ("'a' 'b'", "ab"), ("[1, -2, 'x']", [1, -2, "x"]), ("(1, 2)", (1, 2)),
    ("None", None), ("True", True), ("b'x'", b"x"), ("f'{x}'", UNKNOWN), ("'a' f'{x}'", UNKNOWN),
    ("x", UNKNOWN), ("1 + 2", UNKNOWN), ("[*xs]", UNKNOWN), ("-'a'", UNKNOWN), ("len('a')", UNKNOWN),
])
def test_literal_values_are_read_without_evaluation(source, expected):
    import libcst as cst

    value = literal_value(cst.parse_expression(source))
    assert value == expected and type(value) is type(expected)


def test_input_calls_resolve_every_spelling(make_model):
    main = ("import cog\nimport cog as c\nfrom cog import Input as I\nfrom helpers import Input\n\n\n"
            "def run(\n    a: str = cog.Input(default='x', ge=1, accept='y'),\n    b: str = c.Input('pos'),\n"
            "    c: str = I(description='d', **extra),\n    d: str = Input(default='not cog'),\n) -> str:\n    return a\n")
    root = make_model({"cog.yaml": DEFAULT_COG_YAML, "requirements.txt": DEFAULT_REQUIREMENTS, "main.py": main,
                       "helpers.py": "def Input(**kw):\n    return kw\n"})
    a, b, c, d = entry_of(Project(root)).params
    assert a.input.value("default") == "x" and a.input.value("ge") == 1
    assert [u.keyword.value for u in a.input.unknown] == ["accept"]
    assert len(b.input.positional) == 1 and not b.input.has_default
    assert c.input.splat and c.input.value("description") == "d"
    assert d.input is None and not d.plain_default  # a look-alike we cannot follow: no verdict


IMPORT_CASES = [
    # (module source, module, name) -> (local name, source after the edit)
    ("from cog import Input\n\nx = 1\n", "cog", "Path", "Path", "from cog import Input, Path\n\nx = 1\n"),
    ("import cog\n", "cog", "Path", "cog.Path", "import cog\n"),
    ("from cog import Path as P\n", "cog", "Path", "P", "from cog import Path as P\n"),
    ('"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\nx = 1\n', "typing", "Optional", "Optional",
     '"""Doc."""\nfrom __future__ import annotations\n\nimport os\nfrom typing import Optional\n\nx = 1\n'),
    ("# header\nx = 1\n", "typing", "Optional", "Optional", "# header\nfrom typing import Optional\n\nx = 1\n"),
    ('"""Only a docstring."""', "cog", "Input", "Input", '"""Only a docstring."""\n\nfrom cog import Input\n'),
    ("Optional = 3\n", "typing", "Optional", "TypingOptional",
     "from typing import Optional as TypingOptional\n\nOptional = 3\n"),
    ("from cog import (\n    Input,\n    Path,\n)\n", "cog", "Secret", "Secret",
     "from cog import (\n    Input,\n    Path,\n    Secret,\n)\n"),
    ("from typing import *\n", "typing", "Optional", "Optional", "from typing import *\n"),
    ("if True:\n    from typing import Optional\n", "typing", "Optional", "Optional",
     "from typing import Optional\n\nif True:\n    from typing import Optional\n"),
]


@pytest.mark.parametrize("source,module,name,local,after", IMPORT_CASES)
def test_ensure_import(make_model, source, module, name, local, after):
    from pipelint.edits import pyedit

    root = make_model({"cog.yaml": DEFAULT_COG_YAML, "requirements.txt": DEFAULT_REQUIREMENTS, "main.py": source})
    project = Project(root)
    plan = pyedit.ensure_import(project.entry_module, module, name)
    assert plan.name == local
    text = apply_edits(source, list(plan.edits))
    assert text == after
    # once applied, the import is found and nothing more is added
    again = Project(write_model(root.parent / "again", {"cog.yaml": DEFAULT_COG_YAML,
                                                         "requirements.txt": DEFAULT_REQUIREMENTS, "main.py": text}))
    second = pyedit.ensure_import(again.entry_module, module, name)
    assert second.edit is None and second.name == local
