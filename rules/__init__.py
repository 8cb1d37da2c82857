"""pipelint's rules, one rule per file. Installed as ``pipelint.rules``.

``pipeline/`` holds the rules for Replicate pipeline models and ``cog/`` those for ordinary cog
models, each in one folder per family (``pipeline/pl5_model_calls/``). A rule's file is named by
its code and name (``pl501_use_outside_module_scope.py``) and holds everything about it: its
documentation (the class docstring), its VALID/INVALID examples, its check and its fix.
``pipelint.engine.registry`` finds them; helpers that several rules share live in the analysis modules
of ``pipelint`` (``entry``, ``models``, ``imports``, ``annotations``, ``inputs``, …), never in
another rule's file.
"""
