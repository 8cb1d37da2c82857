"""Plain value classes that cost nothing to define.

``@dataclass`` compiles the source of every method it generates when the class is created: on
Python 3.11, ~0.7 ms per class, one ``exec`` per method. pipelint's 42 record classes on the cold
path of a lint cost ~30 ms that way, the largest part of a cold run that is pipelint's own
(benchmarks/RESULTS.md). A ``Record`` subclass writes its ``__init__`` by hand (compiled once,
into the ``.pyc``) and gets the rest from the shared methods below, which read the class's
fields from its annotations when the class is created:

* ``eq=True`` (the default): ``==`` compares the fields in order when both are of the same
  class (else ``NotImplemented``) and instances are unhashable, as ``@dataclass`` does;
  ``eq=False`` keeps identity (``object``'s ``==`` and hash);
* ``frozen=True``: assigning or deleting an attribute raises ``dataclasses.FrozenInstanceError``
  (``__init__`` sets fields through ``object.__setattr__``), and instances hash by their fields;
* ``order=True``: ``<`` and friends compare the fields' tuples, as ``@dataclass(order=True)``;
* ``repr``: ``Name(field=value, …)`` in field order, leaving out ``hidden`` fields, with a guard
  against cycles; ``compare`` leaves out ``uncompared`` fields.

``replace()`` and ``as_dict()`` stand in for ``dataclasses.replace`` and a shallow
``dataclasses.asdict``. Fields are the class's annotated names in order, a base class's first;
``ClassVar`` annotations are not fields. A method the class defines itself (``__eq__``, ``__lt__``, …) is
kept, never replaced. ``tests/test_records.py`` checks every record class
against a ``@dataclass`` twin built from the same fields.
"""

from __future__ import annotations

import reprlib
from dataclasses import FrozenInstanceError


class Record:
    _fields: tuple[str, ...] = ()
    _compared: tuple[str, ...] = ()
    _shown: tuple[str, ...] = ()

    def __init_subclass__(cls, *, eq: bool = True, frozen: bool = False, order: bool = False,
                          hidden: tuple[str, ...] = (), uncompared: tuple[str, ...] = (), **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        own = [name for name, annotation in cls.__dict__.get("__annotations__", {}).items()
               if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))]
        fields = cls._fields + tuple(name for name in own if name not in cls._fields)
        hidden = set(hidden) | {f for f in cls._fields if f not in cls._shown}
        uncompared = set(uncompared) | {f for f in cls._fields if f not in cls._compared}
        cls._fields = fields
        cls._shown = tuple(f for f in fields if f not in hidden)
        cls._compared = tuple(f for f in fields if f not in uncompared)
        own_methods = cls.__dict__
        # A method the class writes itself is kept (@dataclass keeps its __eq__, refuses its __lt__).
        if eq:
            if "__eq__" not in own_methods:
                cls.__eq__ = _eq
            # A class body with __eq__ gets __hash__ = None from Python: not a hash of its own.
            if own_methods.get("__hash__") is None:
                cls.__hash__ = _hash if frozen else None
        if frozen:
            for name, method in (("__setattr__", _refuse_set), ("__delattr__", _refuse_delete)):
                if name not in own_methods:
                    setattr(cls, name, method)
        if order:
            for name, method in (("__lt__", _lt), ("__le__", _le), ("__gt__", _gt), ("__ge__", _ge)):
                if name not in own_methods:
                    setattr(cls, name, method)

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{type(self).__qualname__}({inner})"

    def replace(self, **changes):
        """A copy with ``changes``, made through ``__init__`` (as ``dataclasses.replace``)."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return type(self)(**values)

    def as_dict(self) -> dict:
        """The fields by name (shallow: values are not copied)."""
        return {name: getattr(self, name) for name in self._fields}


def _values(record) -> tuple:
    return tuple(getattr(record, name) for name in record._compared)


def _eq(self, other):
    if other.__class__ is self.__class__:
        return _values(self) == _values(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(_values(self))


def _refuse_set(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self, name):
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _lt(self, other):
    return _values(self) < _values(other) if other.__class__ is self.__class__ else NotImplemented


def _le(self, other):
    return _values(self) <= _values(other) if other.__class__ is self.__class__ else NotImplemented


def _gt(self, other):
    return _values(self) > _values(other) if other.__class__ is self.__class__ else NotImplemented


def _ge(self, other):
    return _values(self) >= _values(other) if other.__class__ is self.__class__ else NotImplemented
