"""The ``skprune`` command line."""

import argparse
import os
import sys

from . import __version__


def _parser():
    from .benchmark import _datasets, _registry

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
        "and compare it with what users would use instead. Writes report.md, a "
        "self-contained report.html and PNG plots.",
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
        help="more datasets and methods, every GridSearchCV candidate",
    )
    bench.set_defaults(scope="default")
    bench.add_argument(
        "--out",
        default="skprune-bench",
        help="folder for the report and plots (default: %(default)s)",
    )
    bench.add_argument(
        "--family",
        action="append",
        choices=list(_registry.families()),
        help="run only this family (repeatable)",
    )
    data = bench.add_mutually_exclusive_group()
    data.add_argument(
        "--dataset",
        action="append",
        choices=_datasets.names(),
        help="run only this bundled dataset (repeatable)",
    )
    data.add_argument(
        "--data",
        metavar="PATH.csv",
        help="run every family on this CSV file (with a header row) instead",
    )
    bench.add_argument("--target", metavar="COLUMN", help="the CSV column to predict")
    bench.add_argument(
        "--task",
        choices=_datasets.KINDS,
        help="what to do with the target (default: inferred from it)",
    )
    bench.add_argument(
        "--outer-splits",
        type=int,
        metavar="K",
        help="outer cross-validation folds (default: 3, 5 with --full)",
    )
    bench.add_argument(
        "--quiet", action="store_true", help="no progress bar, only the summary"
    )
    return parser, bench


def main(argv=None):
    parser, bench = _parser()
    args = parser.parse_args(argv)
    from .benchmark import _report, _runner

    if (args.data is None) != (args.target is None):
        bench.error("--data and --target go together.")
    if args.outer_splits is not None and args.outer_splits < 2:
        bench.error("--outer-splits must be at least 2.")
    try:
        jobs = _runner.plan(
            args.family,
            args.dataset,
            args.scope,
            data=args.data,
            target=args.target,
            task=args.task,
        )
    except (ValueError, OSError) as exc:
        bench.error(str(exc))
    rows, failures = _runner.run(
        jobs,
        args.scope,
        out=args.out,
        outer_splits=args.outer_splits,
        progress=not args.quiet,
    )
    print(_report.to_markdown(_report.summary(rows)))
    print(f"Report: {os.path.join(args.out, 'report.md')} and report.html")
    if failures:
        print(
            f"{len(failures)} failed (tracebacks in "
            f"{os.path.join(args.out, 'errors.log')}):",
            *[f"  {where}: {error}" for where, error, _ in failures],
            sep="\n",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
