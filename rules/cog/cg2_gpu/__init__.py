"""CG2 — GPU, CUDA and framework versions: the torch pin cog derives CUDA from, `build.cuda` and
`build.cudnn` against cog's base images, and torch-family wheels for `python_version`."""
