"""``python -m adapters.cli``: the same as the ``d1store`` console script."""

import sys

from adapters.cli.main import main

sys.exit(main())
