"""Fuzzing: whatever the input, the engine and the fixer never raise, and what the fixer writes parses.

Inputs: Python source from CPython's grammar (hypothesmith), entry functions assembled from the
vocabulary the rules care about (inputs, outputs, `use()`, secrets), YAML documents, requirement
lines, and random mutations of every model folder in fixtures/ (byte flips, line deletions and
duplications, truncation, splices from other fixtures, YAML syntax dropped into cog.yaml).

Profiles: "ci" (the default; ~50 examples a test, no example database) keeps the suite fast;
``PIPELINT_FUZZ=long`` selects "long" for a local run of thousands of examples a test:

    PIPELINT_FUZZ=long python -m pytest tests/test_fuzz.py --hypothesis-show-statistics
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import hypothesmith
import pytest
from conftest import FIXTURES, write_model
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model
from pipelint.engine.runner import lint
from pipelint.model import yamlnodes
from pipelint.model.requirements import parse as parse_requirements

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                     HealthCheck.filter_too_much, HealthCheck.large_base_example])
settings.register_profile("ci", max_examples=50, database=None, **_COMMON)
settings.register_profile("long", max_examples=3000, **_COMMON)
# hypothesmith compiles what it generates, and CPython warns about code like `1()`: not ours.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")
FUZZ = settings.get_profile("long" if os.environ.get("PIPELINT_FUZZ") == "long" else "ci")
# Strategies that run the fixer several rounds per example get a share of the budget.
FUZZ_FIX = settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 2))

COG = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
REQ = "replicate>=1.1.0b1,<2.0.0a1\n"
MAIN = 'from cog import Input\n\n\ndef run(prompt: str = Input(description="Prompt")) -> str:\n    return prompt\n'


def check_model(files: dict[str, bytes | str], fix: bool = True) -> None:
    """Lint the model, then fix it (unsafe fixes included): nothing raises, nothing is an
    internal error, and every file the fixer would write parses as its kind."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_model(Path(tmp) / "model", files).resolve()
        result = lint(root, Settings())
        assert not result.internal_errors, result.internal_errors
        for d in result.diagnostics:
            assert d.path is not None and d.start.line >= 1 and d.start.column >= 1, d
            assert (d.end.line, d.end.column) >= (d.start.line, d.start.column), d
        if not fix:
            return
        outcome = fix_model(root, Settings(), unsafe=True)
        assert not outcome.internal_errors, outcome.internal_errors
        for path, change in outcome.changes.items():
            assert_parses(path, change.after, change.before)


def _python_parses(text: str | None) -> bool:
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError, TypeError):
        return False


def assert_parses(path: Path, text: str, before: str | None = None) -> None:
    if path.suffix == ".py":
        import libcst as cst

        cst.parse_module(text)
        if before is None or _python_parses(before):  # what Python read before a fix, it reads after
            assert _python_parses(text), text
    elif path.suffix in (".yaml", ".yml"):
        doc = yamlnodes.compose(text)
        assert not doc.error, (path.name, doc.error, text)
    elif path.suffix == ".txt":
        parse_requirements(text)


# ---- Python from the grammar ---------------------------------------------------------------

def _entry_name(source: str) -> str:
    """A top-level function of ``source`` to point ``predict:`` at, so entry rules see it."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "run"
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return names[0] if names else "run"


@FUZZ
@given(source=hypothesmith.from_grammar())
def test_grammar_generated_main_py(source):
    cog = COG.replace("main.py:run", f"main.py:{_entry_name(source)}")
    check_model({"cog.yaml": cog, "requirements.txt": REQ, "main.py": source})


@FUZZ
@given(source=hypothesmith.from_grammar(), helper=hypothesmith.from_grammar())
def test_grammar_generated_local_module(source, helper):
    check_model({"cog.yaml": COG, "requirements.txt": REQ, "main.py": "import helpers\n" + MAIN + source,
                 "helpers.py": helper}, fix=False)


# ---- entry functions from the rules' vocabulary --------------------------------------------

IMPORTS = [
    "from cog import Input, Path, Secret, BaseModel, ConcatenateIterator, File",
    "from cog import BasePredictor",
    "from typing import Optional, List, Iterator, AsyncIterator, Union, Any, Dict, Literal, Tuple",
    "import typing as t",
    "import cog",
    "import replicate",
    "import replicate as r",
    "from replicate import use",
    "from replicate import use as u",
    "from cog import use",
    "from __future__ import annotations",
    "import os",
    "from os import environ",
    "import torch",
    "import imghdr",
    "from pydantic import BaseModel as PydanticModel",
    "import asyncio",
    "import helpers",
    "from . import helpers",
    "try:\n    import cv2\nexcept ImportError:\n    cv2 = None",
]
BASE_TYPES = ["str", "int", "float", "bool", "Path", "cog.Path", "Secret", "File", "dict", "Any", "None",
              "Output", "bytes", "datetime", "object", "'str'", "PydanticModel", "Item"]


def _types():
    return st.recursive(
        st.sampled_from(BASE_TYPES),
        lambda inner: st.one_of(
            st.builds("Optional[{}]".format, inner),
            st.builds("list[{}]".format, inner),
            st.builds("List[{}]".format, inner),
            st.builds("Iterator[{}]".format, inner),
            st.builds("AsyncIterator[{}]".format, inner),
            st.builds("ConcatenateIterator[{}]".format, inner),
            st.builds("{} | None".format, inner),
            st.builds("Union[{}, {}]".format, inner, inner),
            st.builds("Dict[str, {}]".format, inner),
            st.builds("tuple[{}, ...]".format, inner),
            st.builds("t.Optional[{}]".format, inner),
            st.just("Literal['a', 'b']"),
        ),
        max_leaves=4,
    )


TYPES = _types()
LITERALS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.floats(-2, 2, allow_nan=False),
                     st.sampled_from(["'a'", "'b'", "''", "'r8_" + "x" * 37 + "'", "'^[a-z]+$'", "'['"]))
INPUT_KEYWORDS = ["default", "description", "ge", "le", "min_length", "max_length", "regex", "choices",
                  "deprecated", "accept", "default_factory", "discription"]


@st.composite
def input_call(draw):
    kws = draw(st.lists(st.sampled_from(INPUT_KEYWORDS), max_size=4, unique=True))
    parts = []
    if draw(st.booleans()) and not kws:  # positional: PL310
        parts.append(str(draw(LITERALS)))
    for kw in kws:
        if kw == "choices":
            value = "[" + ", ".join(str(draw(LITERALS)) for _ in range(draw(st.integers(0, 3)))) + "]"
        else:
            value = str(draw(LITERALS))
        parts.append(f"{kw}={value}")
    return f"Input({', '.join(parts)})"


@st.composite
def parameter(draw, name):
    kind = draw(st.sampled_from(["plain", "plain", "plain", "star", "kwargs"]))
    if kind == "star":
        return f"*{name}"
    if kind == "kwargs":
        return f"**{name}"
    annotation = draw(st.one_of(st.none(), TYPES))
    text = name if annotation is None else f"{name}: {annotation}"
    default = draw(st.one_of(st.none(), input_call(), LITERALS.map(str)))
    return text if default is None else f"{text} = {default}"


BODY = [
    "return prompt",
    "return None",
    'model = use("owner/name")\n    return model(prompt=prompt)',
    'return replicate.use("black-forest-labs/flux-dev")(prompt)',
    'flux = r.use(f"owner/{prompt}")\n    return flux.run(prompt=prompt)',
    'out = FLUX(prompt=prompt)\n    return out.caption',
    'return os.environ["API_KEY"]',
    "return os.getenv('TOKEN', '')",
    "print(api_key.get_secret_value())\n    return 'x'",
    "yield prompt",
    "for x in FLUX(prompt=prompt):\n        yield x",
    "return Output(caption=prompt, items=[prompt])",
    "return {'a': prompt}",
    "lambda: use('a/b')\n    return prompt",
    "return helpers.run(prompt)",
]
MODULE_LEVEL = [
    'FLUX = use("black-forest-labs/flux-dev", hint=lambda prompt: None)',
    'FLUX = replicate.use("black-forest-labs/flux-dev", streaming=True, use_async="yes")',
    'FLUX = use(name)',
    'FLUX = use("not a ref", 3, extra=1)',
    "RESULT = FLUX(prompt='x')",
    "asyncio.run(main())",
    "class Output(BaseModel):\n    caption: str\n    items: list[str]\n    extra: Optional[dict]",
    "class Result(BaseModel):\n    caption: str",
    "class Item(PydanticModel):\n    x: int",
    "KEY = 'r8_" + "A" * 37 + "'",
    "TOKEN = environ.get('TOKEN')",
]


@st.composite
def entry_module(draw):
    imports = draw(st.lists(st.sampled_from(IMPORTS), max_size=6, unique=True))
    module_level = draw(st.lists(st.sampled_from(MODULE_LEVEL), max_size=4))
    names = draw(st.lists(st.sampled_from(["prompt", "n", "api_key", "image", "seed", "token", "items"]),
                          max_size=4, unique=True))
    params = [draw(parameter(n)) for n in names]
    ret = draw(st.one_of(st.none(), TYPES))
    asynchronous = draw(st.booleans())
    body = draw(st.sampled_from(BODY))
    entry = "async def" if asynchronous else "def"
    head = f"{entry} run({', '.join(params)})" + (f" -> {ret}" if ret is not None else "") + ":"
    if draw(st.booleans()):  # the guide's old class form
        head = "class Predictor(BasePredictor):\n    " + head.replace("run(", "predict(self, ", 1).replace("(self, )", "(self)")
        body = body.replace("\n    ", "\n        ")
        return "\n".join(imports + module_level) + "\n\n\n" + head + "\n        " + body + "\n"
    return "\n".join(imports + module_level) + "\n\n\n" + head + "\n    " + body + "\n"


@FUZZ_FIX
@given(main=entry_module(), newline=st.sampled_from(["\n", "\r\n"]), predictor=st.booleans())
@example(main=MAIN, newline="\r\n", predictor=False)
def test_vocabulary_generated_entries(main, newline, predictor):
    cog = COG.replace("main.py:run", "main.py:Predictor") if predictor else COG
    check_model({"cog.yaml": cog.replace("\n", newline), "requirements.txt": REQ,
                 "main.py": main.replace("\n", newline), "helpers.py": "def run(x):\n    return x\n"})


# ---- cog.yaml and requirements.txt ---------------------------------------------------------

COG_KEYS = ["build", "predict", "run", "train", "image", "concurrency", "environment", "gpu", "cuda",
            "python_version", "python_requirements", "python_packages", "system_packages", "max",
            "cog_runtime", "<<", "1", "true", "null", ""]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 300), st.floats(allow_nan=True),
                    st.sampled_from(["main.py:run", "../main.py:run", "3.13", "3.12", "11.8", "requirements.txt",
                                     "ffmpeg", "curl", "libgl1", "torch==2.0", "", "main.py", ":", "\x85", "\ufeff"]),
                    st.text(max_size=12))


YAML_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(COG_KEYS), inner, max_size=5)), max_leaves=12)


@st.composite
def cog_yaml(draw):
    import yaml

    doc = draw(st.dictionaries(st.sampled_from(COG_KEYS), YAML_VALUES, max_size=6))
    style = draw(st.sampled_from([None, True, False]))
    text = yaml.safe_dump(doc, default_flow_style=style, allow_unicode=draw(st.booleans()), sort_keys=False)
    return draw(st.sampled_from(["", "\ufeff", "%YAML 1.1\n---\n"])) + text


@FUZZ_FIX
@given(cog=cog_yaml())
def test_generated_cog_yaml(cog):
    check_model({"cog.yaml": cog, "requirements.txt": REQ, "main.py": MAIN})


REQUIREMENT_PARTS = st.sampled_from([
    "replicate", "replicate>=1.1.0b1,<2.0.0a1", "replicate >= 1.1.0b1 < 2.0.0a1", "replicate==1.0.4", "pydantic>=2",
    "pydantic<2", "pillow==10.0.0", "numpy", "torch", "Pillow", "scikit_learn", "requests[socks]>=2",
    "-r requirements.txt", "-r other.txt", "-r ../../etc/passwd", "-c constraints.txt", "-e .", "--index-url https://x",
    "--extra-index-url=https://y", "git+https://github.com/a/b.git", "pkg @ https://x/y.whl", "./local.whl",
    "numpy; python_version < '3.14'", "foo==", "==1.0", "name @", "\\", "# comment", "   ", "pkg --hash=sha256:00",
    "a" * 300, "é==1", "-", "--", "replicate>=1.1.0b1,<2.0.0a1 \\",
])


@FUZZ
@given(lines=st.lists(st.one_of(REQUIREMENT_PARTS, st.text(max_size=20)), max_size=12),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_requirements(lines, newline):
    text = newline.join(lines)
    check_model({"cog.yaml": COG, "requirements.txt": text, "main.py": MAIN, "other.txt": text[: len(text) // 2]})


# ---- mutations of the fixtures -------------------------------------------------------------

def _fixture_models() -> list[dict[str, bytes]]:
    models = []
    for expected in sorted(FIXTURES.glob("**/expected.txt")):
        folder = expected.parent
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                 if p.is_file() and p.name != "expected.txt" and "__pycache__" not in p.parts
                 and ".pipelint_cache" not in p.parts and p.stat().st_size < 50_000}
        if files:
            models.append(files)
    return models


FIXTURE_MODELS = _fixture_models()
YAML_SNIPPETS = [b"&a ", b"*a", b"<<: *a\n", b"!!python/object/apply:os.system ['true'] ", b"!!binary ", b"? ",
                 b"[", b"]", b"{", b"}", b"- ", b"|\n", b">-\n", b"---\n", b"...\n", b"%YAML 1.2\n", b"'", b'"',
                 b"\t", b": ", b"#", b"\\u0000", b"!custom ", b"&a [*a]", b"\xef\xbb\xbf"]
PYTHON_SNIPPETS = [b"(", b")", b":", b"\n    ", b"\t", b"lambda: ", b"async ", b"await ", b"yield ", b"-> None",
                   b"= None", b"Optional[", b"import torch\n", b"from __future__ import annotations\n", b"*args, ",
                   b"use(", b"\r", b"\x0c", b"\\\n", b'"""', b"# pipelint: ignore[PL3]\n", b"\x00", b"\xff"]


@st.composite
def mutated_fixture(draw):
    files = dict(draw(st.sampled_from(FIXTURE_MODELS)))
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        data = files[name]
        lines = data.splitlines(keepends=True) or [b""]
        op = draw(st.sampled_from(["flip", "delete", "duplicate", "swap", "truncate", "insert", "splice", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            at = min(pos, len(data) - 1)
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif op == "delete":
            data = b"".join(lines[:i] + lines[i + 1:])
        elif op == "duplicate":
            data = b"".join(lines[: i + 1] + lines[i:])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"".join(lines)
        elif op == "truncate":
            data = data[:pos]
        elif op == "insert":
            pool = YAML_SNIPPETS if name.endswith(".yaml") else PYTHON_SNIPPETS
            data = data[:pos] + draw(st.one_of(st.sampled_from(pool), st.binary(max_size=4))) + data[pos:]
        elif op == "splice":
            other = draw(st.sampled_from(FIXTURE_MODELS))
            donor = other.get(name) or next(iter(other.values()))
            donor_lines = donor.splitlines(keepends=True) or [b""]
            j = draw(st.integers(0, len(donor_lines) - 1))
            data = b"".join(lines[:i] + donor_lines[j: j + draw(st.integers(1, 5))] + lines[i:])
        elif op == "indent":
            lines[i] = draw(st.sampled_from([b"  ", b"    ", b"\t", b""])) + lines[i].lstrip(b" \t")
            data = b"".join(lines)
        files[name] = data
    return files


@FUZZ_FIX
@given(files=mutated_fixture())
def test_mutated_fixtures(files):
    check_model(files)


def test_every_fixture_takes_part():
    assert len(FIXTURE_MODELS) >= 20
    assert any("cog.yaml" in m and "main.py" in m for m in FIXTURE_MODELS)
