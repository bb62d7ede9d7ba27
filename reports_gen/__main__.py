"""`python -m reports_gen` runs the command line."""

from reports_gen.cli import main

main()
