"""`python -m reports_gen` runs the command line."""

from reports_gen.cli import main

if __name__ == "__main__":  # not when a drawing worker started by spawn or a fork server imports it
    main()
