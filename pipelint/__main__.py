import sys

from pipelint.cli import main

sys.exit(main())
