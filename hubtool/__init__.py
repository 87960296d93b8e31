"""hubtool: keep a Harbor Dock / Hub integration catalog safe."""

__version__ = "0.1.0"
