import sys

from leadctl.cli import main

sys.exit(main())
