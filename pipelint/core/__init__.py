"""Layer 1: diagnostics, source text, positions and paths. Imports nothing of pipelint."""
