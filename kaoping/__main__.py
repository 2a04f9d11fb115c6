"""`python -m kaoping` runs the `kaoping` command."""

import sys

from kaoping.cli import main

if __name__ == "__main__":
    sys.exit(main())
