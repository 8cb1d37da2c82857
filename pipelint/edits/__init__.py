"""Layer 4: building edits to Python and YAML text, and applying them."""
