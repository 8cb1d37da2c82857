"""PL2 — packages and imports, against what the pipelines runtime really has.

The runtime installs its own fixed package list (``pipelint/data/runtime-requirements.txt``,
replaceable with ``--runtime-requirements``) on Python 3.13 and ignores the model's
requirements.txt, so an import of anything else fails when the model loads.
"""
