"""Layer 3: neutral facts derived from the project model (the type model, ``Input()`` reading, the
entry, model calls, guarded blocks). Names no rule and words no consequence."""
