"""The process entry: ``python -m hubtool`` and the ``hubtool`` console script (``main``)."""

import gc

from hubtool import GC_THRESHOLD


def main() -> None:
    """``hubtool.cli.run``, the collector's threshold raised first (``GC_THRESHOLD``): before
    click and the command are imported, whose objects all live until the process ends."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    from hubtool.cli import run

    run()


if __name__ == "__main__":
    main()
