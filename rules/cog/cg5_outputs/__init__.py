"""CG5: outputs and `cog.BaseModel` (a dataclass since cog 0.17): output classes, return types, `cog.File`, pydantic outputs."""
