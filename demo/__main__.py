"""`python -m demo` (what `make demo` runs): generate the demo data, load it through Dagster, summarise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from demo.run import run_demo
from transport_etl.errors import ConfigError, InputRejected


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    p.add_argument("--out", default="demo_data", help="folder for the generated files")
    p.add_argument("--catalog", help="catalog to load instead of the demo's own (OUT/sources.yaml, written with "
                                     "the data); it must list every generated source")
    args = p.parse_args(argv)
    try:
        return run_demo(Path(args.out), catalog=args.catalog)
    except (ConfigError, InputRejected) as exc:
        print(f"transport-etl: demo: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
