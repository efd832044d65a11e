"""``python -m textdedup``: the command line."""

from .cli import main

main()
