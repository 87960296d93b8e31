"""hubtool: keep a Harbor Dock / Hub integration catalog safe."""

__version__ = "0.2.0"
