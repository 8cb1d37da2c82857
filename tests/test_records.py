"""pipelint's record classes (``pipelint.core.records.Record``) behave as the ``@dataclass``es
they replaced: each is compared with a dataclass twin of the same fields and options
(construction by keyword and by position, repr, equality, hashing, frozenness, order, pickling,
replace, asdict).

``DECLARED`` is what each class's ``@dataclass(...)`` said before the change (the options and
the ``field(repr=False / compare=False)`` fields), so a class that lost an option fails here.
Default values are the record's own (the twin is given them): what is checked is that a mutable
default is fresh per instance and that a default of None is one the annotation admits.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from pathlib import Path

import pytest

import pipelint
from pipelint.core.records import Record

ROOT = Path(__file__).resolve().parent.parent

# class name → (eq, frozen, order, hidden from repr, left out of comparisons)
PLAIN = (True, False, False, (), ())
IDENTITY = (False, False, False, (), ())
FROZEN = (True, True, False, (), ())
DECLARED = {
    "Applied": PLAIN, "CPythonVerdict": PLAIN, "Case": PLAIN, "CliOverrides": FROZEN, "Code": PLAIN,
    "CogEntry": IDENTITY, "ConfigFile": PLAIN, "DataField": IDENTITY, "Diagnostic": PLAIN, "Directive": PLAIN,
    "Discovery": PLAIN, "Edit": FROZEN, "Entry": IDENTITY, "Field": IDENTITY, "FileChange": PLAIN, "Fix": FROZEN,
    "FixOutcome": PLAIN, "Hit": PLAIN, "ImportPlan": FROZEN, "ImportRef": PLAIN, "InputArg": IDENTITY,
    "InputCall": IDENTITY, "LintResult": (True, False, False, ("cancelled",), ("cancelled",)),
    "ModelCall": PLAIN, "ModelClass": (False, False, False, ("resolver",), ()), "ModelFacts": PLAIN,
    "ModelResult": PLAIN, "ModelState": PLAIN, "ModuleImport": PLAIN, "OpenDocument": PLAIN,
    "OutputSlot": IDENTITY, "Param": IDENTITY, "ParseError": PLAIN, "PinLine": PLAIN,
    "Position": (True, True, True, (), ()), "PredictRef": PLAIN, "PyType": IDENTITY, "PydanticConfig": IDENTITY,
    "PythonModule": (True, False, False, ("_metadata", "facts", "limit_error"), ()), "QuotedPart": FROZEN,
    "RegistryInput": IDENTITY, "RequirementLine": PLAIN, "Requirements": PLAIN, "RunCommand": FROZEN,
    "RuntimeData": PLAIN, "RuntimePackage": PLAIN, "SchemaInput": IDENTITY, "Settings": PLAIN, "Signature": PLAIN,
    "Snapshot": PLAIN, "SourceFile": PLAIN, "Suppressed": PLAIN, "TargetDecision": FROZEN, "UseCall": PLAIN,
    "YamlDocument": PLAIN, "_Lint": PLAIN, "_Where": PLAIN,
}
# Values an __init__ needs to be of a kind (it computes with them); every other field gets a string.
SAMPLES = {("Fix", "edits"): ()}


def _modules():
    names = []
    for package in (pipelint, importlib.import_module("pipelint.rules")):
        names.append(package.__name__)
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
                  if not m.name.endswith("__main__")]  # it runs the CLI
    return [importlib.import_module(n) for n in names]


def _records() -> list[type[Record]]:
    _modules()
    out, todo = [], list(Record.__subclasses__())
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo += cls.__subclasses__()
    return sorted(out, key=lambda c: (c.__module__, c.__qualname__))


RECORDS = _records()


def test_every_record_class_is_declared_here():
    assert sorted(c.__qualname__ for c in RECORDS) == sorted(DECLARED)


def test_pipelint_defines_no_dataclass():
    # A dataclass costs ~0.7 ms at import (it compiles its methods): the cold path has none.
    found = [f"{m.__name__}.{name}" for m in _modules() for name, obj in vars(m).items()
             if inspect.isclass(obj) and obj.__module__ == m.__name__ and dataclasses.is_dataclass(obj)]
    assert found == []


def _sample(cls, name: str, variant: int = 0):
    return SAMPLES.get((cls.__name__, name), f"{name}-{variant}")


def _admits_none(annotation) -> bool:
    """``X | None``, ``None | X``, ``Optional[X]`` or ``object``: None at the top, not inside."""
    node = ast.parse(str(annotation), mode="eval").body
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return any(_admits_none(ast.unparse(side)) for side in (node.left, node.right))
    if isinstance(node, ast.Subscript):
        return ast.unparse(node.value) in ("Optional", "typing.Optional")
    return ast.unparse(node) in ("None", "object")


def _twin(cls):
    """The @dataclass twin of ``cls``: its fields, with the defaults its __init__ gives them."""
    eq, frozen, order, hidden, uncompared = DECLARED[cls.__qualname__]
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    required = {p.name: _sample(cls, p.name) for p in params if p.default is inspect.Parameter.empty}
    made = cls(**required)
    specs = []
    for p in params:
        options = {"repr": p.name not in hidden, "compare": p.name not in uncompared}
        if p.default is not inspect.Parameter.empty:
            value = getattr(made, p.name)
            if value is p.default:
                options["default"] = value
            else:  # a fresh default per instance (a dataclass's default_factory)
                options["default_factory"] = lambda value=value: copy.copy(value)
        specs.append((p.name, object, dataclasses.field(**options)))
    twin = dataclasses.make_dataclass(cls.__name__, specs, eq=eq, frozen=frozen, order=order)
    return twin, required


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
def test_record_behaves_as_its_dataclass_twin(cls):
    twin, required = _twin(cls)
    eq, frozen, order, hidden, uncompared = DECLARED[cls.__qualname__]
    names = [f.name for f in dataclasses.fields(twin)]
    assert list(cls._fields) == names  # the __init__ takes the fields, in order

    # Defaults, and a fresh mutable default per instance.
    record, dc = cls(**required), twin(**required)
    assert [getattr(record, n) for n in names] == [getattr(dc, n) for n in names]
    other_default = cls(**required)
    annotations = {}
    for klass in reversed(cls.__mro__):
        annotations.update(vars(klass).get("__annotations__", {}))
    for n in names:
        if getattr(record, n) is None:  # a default of None is one the field's annotation admits
            assert _admits_none(annotations[n]), n
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.default is None:  # and one the parameter's annotation admits
            assert _admits_none(p.annotation), (p.name, p.annotation)
    for n in names:
        if isinstance(getattr(record, n), (list, dict, set)):
            assert getattr(record, n) is not getattr(other_default, n), n

    full = {n: _sample(cls, n) for n in names}
    record, dc = cls(**full), twin(**full)
    positional = cls(*full.values())
    assert repr(record) == repr(dc) == repr(positional)

    # Equality and hashing.
    same = cls(**full)
    assert (record == same) is eq
    assert (record != same) is not eq
    assert record == record
    assert (record == dc) is False  # another class: NotImplemented both ways, then identity
    changeable = [n for n in names if (cls.__name__, n) not in SAMPLES]
    for n in changeable:
        changed = cls(**{**full, n: _sample(cls, n, 1)})
        dc_changed = twin(**{**full, n: _sample(cls, n, 1)})
        assert (record == changed) == (dc == dc_changed), n
    if eq and not frozen:
        with pytest.raises(TypeError):
            hash(record)
        with pytest.raises(TypeError):
            hash(dc)
    elif frozen:
        assert hash(record) == hash(same) and hash(record) == hash(dc)
    else:
        assert hash(record) == object.__hash__(record)

    # Frozenness: fields and new attributes alike.
    if frozen:
        for target in (record, dc):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(target, names[0], "x")
            with pytest.raises(dataclasses.FrozenInstanceError):
                target.unknown_attribute = 1
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(target, names[0])
    else:
        record.extra = 1  # plain instances take attributes (cached properties rely on __dict__)
        del record.extra

    # Order.
    if order:
        low = {n: _sample(cls, n) for n in names}
        high = {**low, names[0]: _sample(cls, names[0], 1)}
        for op in ("__lt__", "__le__", "__gt__", "__ge__"):
            assert getattr(cls(**low), op)(cls(**high)) == getattr(twin(**low), op)(twin(**high)), op
        assert cls(**low).__lt__(twin(**high)) is NotImplemented
    else:
        with pytest.raises(TypeError):
            _ = record < same

    # Pickling (the batch pool sends results between processes) and copying.
    for clone in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):
        assert type(clone) is cls and repr(clone) == repr(record)
        if eq:
            assert clone == record

    # replace() and as_dict() as dataclasses.replace and asdict.
    if changeable:
        n = changeable[-1]
        assert repr(record.replace(**{n: "new"})) == repr(dataclasses.replace(dc, **{n: "new"}))
    assert record.as_dict() == dataclasses.asdict(dc)


def test_a_subclass_inherits_its_base_fields_first():
    from pipelint.analysis.cog_entry import CogEntry
    from pipelint.analysis.entry import Entry

    assert CogEntry._fields[:len(Entry._fields)] == Entry._fields
    assert CogEntry("p", "m", "t", "n", "f", key="run").key == "run"


def test_fix_orders_its_edits_as_before():
    from pipelint.core.diagnostics import Edit, Fix, Position

    late = Edit(Path("b.py"), Position(1, 1), Position(1, 2), "x")
    early = Edit(Path("a.py"), Position(3, 1), Position(3, 2), "y")
    fix = Fix("m", (late, early))
    assert fix.edits == (early, late)
    assert fix.replace(message="n").edits == (early, late)


def test_a_method_the_class_writes_itself_is_kept():
    class Loose(Record, frozen=True, order=True):
        name: str

        def __init__(self, name: str) -> None:
            object.__setattr__(self, "name", name)

        def __eq__(self, other):
            return isinstance(other, Loose) and self.name.lower() == other.name.lower()

        def __lt__(self, other):
            return len(self.name) < len(other.name)

    assert Loose("A") == Loose("a")
    assert Loose("zz") > Loose("a") and not Loose("zz") < Loose("a")
    assert hash(Loose("a")) == hash(Loose("a"))  # frozen: hashed by its fields, as @dataclass(eq=True, frozen=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Loose("a").name = "b"
