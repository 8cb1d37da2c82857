import sys

from pipelint.app.cli import main

sys.exit(main())
