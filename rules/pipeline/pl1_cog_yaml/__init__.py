"""PL1 — cog.yaml: the ``predict:`` entry and the function it names (PL101–PL105), the ``build``
and ``concurrency`` settings the pipelines runtime refuses (PL106–PL113), and keys cog does not
know or the pipelines runtime ignores (PL114)."""
