"""``python -m flake8_ssot_factory``: the ``ssot-factory`` command."""

from flake8_ssot_factory.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
