"""Allow ``python -m hubtool``."""

from hubtool.cli import run

run()
