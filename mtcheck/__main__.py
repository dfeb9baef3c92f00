"""``python -m mtcheck``."""
import sys

from mtcheck.cli import main

sys.exit(main())
