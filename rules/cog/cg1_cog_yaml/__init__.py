"""CG1 — cog.yaml of an ordinary cog model: unknown keys, the entry, ``build`` settings, deprecated and
workaround settings, ``weights`` and ``environment``."""
