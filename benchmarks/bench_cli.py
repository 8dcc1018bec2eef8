"""Wall time of ``skprune bench`` as a user runs it.

Three runs, one after the other, each in a fresh process writing to a
temporary folder: the default benchmark, ``--quick``, and ``--quick --data``
on a synthetic 5,000-row CSV with numeric and categorical columns and missing
values (a churn-like classification target). Prints each wall time with the
load average of the machine before and after, since it may be shared.

    python benchmarks/bench_cli.py
    python benchmarks/bench_cli.py --only data --repeats 3

Goals (issue 15): the default run at most 5 minutes on 2 cores, ``--quick``
at most 2, ``--quick --data`` on 5,000 rows at most 5.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

from skprune.benchmark._stats import mean_se


def write_csv(path, n_samples=5000):
    """Twelve numeric columns, three categorical ones, 5% missing in three."""
    rng = np.random.RandomState(0)
    X, y = make_classification(
        n_samples=n_samples, n_features=12, n_informative=6, flip_y=0.05, random_state=0
    )
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(12)])
    frame["region"] = rng.choice(["north", "south", "east", "west"], n_samples)
    frame["plan"] = np.where(
        X[:, 0] > 0, "premium", rng.choice(["basic", "standard"], n_samples)
    )
    frame["channel"] = rng.choice(["web", "store", "phone", "partner"], n_samples)
    for column in ["x1", "x5", "region"]:
        frame.loc[rng.rand(n_samples) < 0.05, column] = np.nan
    frame["churn"] = np.where(y == 1, "yes", "no")
    frame.to_csv(path, index=False)


def timed(arguments, folder):
    load = os.getloadavg()[0]
    start = time.perf_counter()
    command = [sys.executable, "-m", "skprune._cli", "bench", "--quiet"]
    subprocess.run(
        [*command, *arguments, "--out", folder], check=True, stdout=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - start
    return seconds, (load + os.getloadavg()[0]) / 2


def main(only, repeats):
    with tempfile.TemporaryDirectory() as folder:
        csv = os.path.join(folder, "churn.csv")
        write_csv(csv)
        runs = {
            "default": [],
            "quick": ["--quick"],
            "data": ["--quick", "--data", csv, "--target", "churn"],
        }
        for name, arguments in runs.items():
            if only and name not in only:
                continue
            results = [
                timed(arguments, os.path.join(folder, name)) for _ in range(repeats)
            ]
            seconds, load = np.transpose(results)
            mean, se = mean_se(seconds)
            spread = f" ± {se:.0f}" if repeats > 1 else ""
            shown = " ".join(["skprune bench", *arguments]).replace(csv, "churn.csv")
            print(
                f"{shown}: {mean:.0f} s{spread} ({repeats} run(s), "
                f"{os.cpu_count()} cores, load average {load.mean():.1f})",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=["default", "quick", "data"])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    main(args.only, args.repeats)
