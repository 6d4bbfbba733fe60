"""``python -m laurel`` runs the ``laurel`` command line."""

import sys

from .cli import main

sys.exit(main())
