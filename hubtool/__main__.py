"""Allow ``python -m hubtool``."""

from hubtool.cli import main

main()
