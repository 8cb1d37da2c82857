"""Layer 6: what users run: CLI, batch, cache, discovery, reporters, rule docs, language server."""
