"""Command line of the placement engine; see tillsammans/placement/solver/README.md."""

import sys

from tillsammans.placement.solver.cli import main

sys.exit(main())
