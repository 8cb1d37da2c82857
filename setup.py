"""Only the package list lives here: pyproject.toml holds everything else.

The engine is ``pipelint/`` and the rules are the top-level ``rules/`` folder, shipped as
``pipelint.rules``; both have sub-packages (layers, rule families) found here so that a new
family folder ships without editing a list. ``pipelint.docs`` is the top-level ``docs/`` folder
(data only: the rule pages, see package-data in pyproject.toml).
"""

from setuptools import find_packages, setup

setup(packages=[
    "pipelint", *(f"pipelint.{p}" for p in find_packages("pipelint")),
    "pipelint.rules", *(f"pipelint.rules.{p}" for p in find_packages("rules")),
    "pipelint.docs",
])
