"""``python -m playground`` is the same as the ``nn-playground`` command."""

import sys

from playground.launcher import main

sys.exit(main())
