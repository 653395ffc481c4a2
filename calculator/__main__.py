"""Run the command line: ``python3 -m calculator``."""

import sys

from calculator.cli import main

sys.exit(main())
