"""PL5 — calling other models with ``replicate.use()``.

All of them read the same facts (``pipelint.analysis.calls``): the ``use()`` calls of each module, the
names bound to their results and the calls made through those names.
"""
