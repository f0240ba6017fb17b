"""Run kgtool as ``python -m kgtool``."""

from kgtool.cli import main

main()
