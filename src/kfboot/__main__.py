"""Allow ``python -m kfboot``."""

from kfboot.cli import main

if __name__ == "__main__":
    main()
