"""Layer 5: the rule base, registry, runner, settings and configuration, suppression, fixer."""
