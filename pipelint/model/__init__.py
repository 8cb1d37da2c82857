"""Layer 2: the project model (one model folder read once: cog.yaml nodes, requirements, Python
modules, runtime data). Imports only ``pipelint.core``."""
