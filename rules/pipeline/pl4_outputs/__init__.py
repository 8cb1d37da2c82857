"""PL4 — outputs: what the entry returns, and the Output model class it returns. The return
type they read is ``pipelint.analysis.entry``'s (``Entry.returns``, ``Entry.output_models``)."""
