"""CG3: the entry of an ordinary cog model and its module, as cog's loader takes them."""
