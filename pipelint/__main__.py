import sys

from pipelint.app.fastpath import main

sys.exit(main())
