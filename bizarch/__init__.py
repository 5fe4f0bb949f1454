"""bizarch: a knowledge-graph repository for business architecture."""

__version__ = "0.1.0"
