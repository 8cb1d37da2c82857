"""PL3 — the entry function and its inputs: the shape of the signature the runtime inspects
(PL301–PL304, PL311, PL313), the types and defaults of the inputs (PL305, PL306, PL312, PL314,
PL315), and ``Input()`` keywords checked against the input's type and its own default
(PL307–PL310). The entry model they read is ``pipelint.analysis.entry``."""
