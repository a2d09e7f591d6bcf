"""`python -m threadline` runs the command-line interface."""

from threadline.cli.app import main

main()
