"""The ``skprune`` command line."""

import argparse
import sys
import time

from . import __version__


def _parser():
    parser = argparse.ArgumentParser(
        prog="skprune",
        description="Make scikit-learn models smaller and faster without "
        "losing cross-validated accuracy.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    bench = commands.add_parser(
        "bench",
        help="cross-validated comparison of every pruning family",
        description="Judge every pruning method with an outer cross-validation "
        "and compare it with what users would use instead.",
    )
    scope = bench.add_mutually_exclusive_group()
    scope.add_argument(
        "--quick",
        dest="scope",
        action="store_const",
        const="quick",
        help="smoke run of about a minute",
    )
    scope.add_argument(
        "--full",
        dest="scope",
        action="store_const",
        const="full",
        help="more datasets, larger synthetic sets",
    )
    bench.set_defaults(scope="default")
    bench.add_argument(
        "--out",
        default="skprune-bench",
        help="folder for report.md and PNG curves (default: %(default)s)",
    )
    bench.add_argument(
        "--family", action="append", help="run only this family (repeatable)"
    )
    bench.add_argument(
        "--dataset", action="append", help="run only this dataset (repeatable)"
    )
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    from .benchmark import run_benchmark
    from .benchmark._report import format_table

    start = time.perf_counter()
    try:
        rows = run_benchmark(
            families=args.family, datasets=args.dataset, scope=args.scope, out=args.out
        )
    except ValueError as exc:
        print(f"skprune bench: {exc}", file=sys.stderr)
        return 2
    print(format_table(rows))
    print(
        f"\n{len(rows)} rows in {time.perf_counter() - start:.0f}s; "
        f"report written to {args.out}/report.md"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
