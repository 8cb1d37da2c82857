"""CG4 inputs: what cog's static schema parser (0.19+) makes of an ordinary model's inputs."""
