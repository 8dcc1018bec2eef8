"""MLP predict without process-wide side effects, against the previous way.

On load_digits with hidden layers (300, 100): the dense network, half its
neurons removed (per layer), and 97% of its weights pruned (the sparse
path). Predicting 45,000 rows, side by side in one run, in interleaved
repeats (a shared machine's load drifts):

1. one caller: the current ``predict`` (calling thread only, BLAS with its
   own threads, no process-wide change) against the previous one, rebuilt
   here from the same inference plan: rows split over as many threads as
   BLAS had, BLAS limited to one thread process-wide under a module lock
   meanwhile. Also the current ``predict`` with BLAS limited to one thread
   by the caller (an application's own choice);
2. structured speed-up: dense time / half-neurons time against their FLOP
   ratio, for each way of predicting and for several block sizes;
3. concurrency: 8 threads each predicting 4,500-row batches against one
   thread predicting the same batches, throughput ratio (1.0: the threads
   together go as fast as one caller; above: they use more cores; below:
   they slow each other down), for the current and the previous way, and
   for the current way with BLAS limited to one thread by the application.

A fourth way is the candidate of issue 16: rows split over as many worker
threads of predict's own as BLAS uses, each worker calling OpenBLAS's
``openblas_set_num_threads_local(1)`` and no lock. It is timed against the
current way as well (ratios "/ current"). It is only a candidate if that
call is local to the worker thread: the benchmark reports the BLAS thread
count that the caller's thread sees after such a predict. In numpy's
bundled OpenBLAS 0.3.31 (pthreads build) the call is
``openblas_set_num_threads`` plus a write to a plain global read only by
OpenMP builds, so that count drops to 1: a process-wide change.

Figures are mean ± standard error over the repeats, of per-repeat ratios.

    python benchmarks/bench_mlp_inference.py [--repeats 7]

Goals (issue 16): single-caller predict not materially slower than before;
concurrent predicts neither serialise nor slow each other down; structured
speed-up at least 0.8 of the FLOP ratio on a large batch.
"""

import argparse
import ctypes
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from threadpoolctl import ThreadpoolController, threadpool_limits

from skprune.metrics import model_size
from skprune.neural import MLPClassifier, MLPPruner
from skprune.neural._base import ACTIVATIONS
from skprune.neural._sparse_inference import BLOCK_ROWS

SOFTMAX = ACTIVATIONS["softmax"]
_PREVIOUS_LOCK = threading.Lock()
_BLAS = ThreadpoolController().select(user_api="blas")
_BLAS_DEFAULT = _BLAS.info()


def previous_forward(plan, X, block=BLOCK_ROWS):
    """The previous ``predict``'s forward pass (before issue 16): blocks
    shared out over as many threads as BLAS uses, each running the same
    block loop, with BLAS limited to one thread process-wide meanwhile."""
    n_rows = X.shape[0]
    n_blocks = -(-n_rows // block)
    counts = [library.num_threads for library in _BLAS.lib_controllers]
    n_threads = max(1, min(n_blocks, min(counts, default=1)))
    if n_threads == 1:
        return plan.forward(X, SOFTMAX, block)
    bounds = np.linspace(0, n_blocks, n_threads + 1).astype(int) * block
    bounds[-1] = n_rows
    result = np.empty((n_rows, plan.coefs[-1].shape[1]))

    def rows(start, stop):
        result[start:stop] = plan.forward(X[start:stop], SOFTMAX, block)

    with (
        _PREVIOUS_LOCK,
        _BLAS.limit(limits=1),
        ThreadPoolExecutor(n_threads) as pool,
    ):
        list(pool.map(rows, bounds[:-1], bounds[1:]))
    return result


def current_forward(plan, X, block=BLOCK_ROWS):
    return plan.forward(X, SOFTMAX, block)


def _openblas_set_num_threads_local():
    """numpy's OpenBLAS's ``openblas_set_num_threads_local``, or None.

    scipy bundles an OpenBLAS of its own; numpy's products go through the
    one in numpy's wheel (``numpy.libs``)."""
    numpy_dir = Path(np.__file__).parent
    for library in _BLAS.lib_controllers:
        location = Path(library.filepath).parent
        if library.internal_api != "openblas" or location not in (
            numpy_dir.with_name("numpy.libs"),
            numpy_dir / ".dylibs",
        ):
            continue
        dll = ctypes.CDLL(library.filepath)
        function = getattr(dll, "openblas_set_num_threads_local", None)
        if function is not None:
            function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int
            return function
    return None


SET_LOCAL = _openblas_set_num_threads_local()


def worker_local_forward(plan, X, block=BLOCK_ROWS):
    """The candidate: blocks shared out over as many worker threads as BLAS
    uses (read by the caller), each worker setting its "local" BLAS thread
    count to 1, no lock. A thread-local setting would need no restoring;
    since this one is process-wide, the caller puts back the count it read
    (best case for a single caller: the change lasts one predict)."""
    n_rows = X.shape[0]
    n_blocks = -(-n_rows // block)
    counts = [library.num_threads for library in _BLAS.lib_controllers]
    n_threads = max(1, min(n_blocks, min(counts, default=1)))
    if n_threads == 1 or SET_LOCAL is None:
        return plan.forward(X, SOFTMAX, block)
    bounds = np.linspace(0, n_blocks, n_threads + 1).astype(int) * block
    bounds[-1] = n_rows
    result = np.empty((n_rows, plan.coefs[-1].shape[1]))

    def rows(start, stop):
        SET_LOCAL(1)
        result[start:stop] = plan.forward(X[start:stop], SOFTMAX, block)

    before = min(counts)
    try:
        with ThreadPoolExecutor(n_threads) as pool:
            list(pool.map(rows, bounds[:-1], bounds[1:]))
    finally:
        SET_LOCAL(before)
    return result


def _counts():
    """BLAS thread counts, by the package whose wheel bundles the library."""
    return ", ".join(
        f"{Path(library.filepath).parent.name.split('.')[0]} {library.num_threads}"
        for library in _BLAS.lib_controllers
    )


def local_is_process_wide():
    """BLAS thread counts the calling thread sees before and after another
    thread sets its "local" count to 1 (equal if the setting is local)."""
    with _BLAS.limit(limits=None):  # puts the counts back afterwards
        before = _counts()
        worker = threading.Thread(target=SET_LOCAL, args=(1,))
        worker.start()
        worker.join()
        after = _counts()
    return before, after


# The third way is the current predict with BLAS on one thread, as an
# application would set it once; the limit is set outside the timings.
WAYS = {
    "previous": previous_forward,
    "current": current_forward,
    "current, BLAS 1 thread": current_forward,
    "worker-local": worker_local_forward,
}


def _blas_as_set_by(way):
    """BLAS as the application leaves it for this way of predicting.

    Set explicitly each time (BLAS's own counts otherwise), since the
    worker-local way may leave them changed process-wide."""
    one_thread = way == "current, BLAS 1 thread"
    return _BLAS.limit(limits=1 if one_thread else _BLAS_DEFAULT)


def _timed(function, way="current"):
    with _blas_as_set_by(way):
        start = time.perf_counter()
        function()
        return time.perf_counter() - start


def _mean_se(values):
    values = np.asarray(values, dtype=float)
    return f"{values.mean():.2f} ± {values.std(ddof=1) / np.sqrt(len(values)):.2f}"


def _models():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_train, X_test, y_train, _ = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    with threadpool_limits(limits=1):
        dense = MLPClassifier(hidden_layer_sizes=(300, 100), random_state=0)
        dense.fit(X_train, y_train)
        common = dict(prefit=True, finetune_iter=20, random_state=0)
        half = MLPPruner(
            dense, sparsity=0.5, granularity="neuron", scope="layer", **common
        ).fit(X_train, y_train)
        sparse = MLPPruner(
            dense, sparsity=0.97, schedule="iterative", n_rounds=4, **common
        ).fit(X_train, y_train)
    models = {"dense": dense, "half neurons": half.estimator_}
    models["97% sparse"] = sparse.estimator_
    big = np.tile(X_test, (100, 1))  # 45,000 rows
    plans = {}
    for name, model in models.items():
        model.predict_proba(big[:1000])  # builds the plan
        plans[name] = model._inference_plan
    flop_ratio = model_size(dense)["flops"] / model_size(half.estimator_)["flops"]
    return plans, big, flop_ratio


def single_caller(plans, big, flop_ratio, repeats):
    print("1. one caller, 45,000 rows: time / previous time (below 1: faster)")
    times = {(w, m): [] for w in WAYS for m in plans}
    for _ in range(repeats):
        for model, plan in plans.items():
            for way, forward in WAYS.items():
                times[way, model].append(
                    _timed(lambda: forward(plan, big), way)  # noqa: B023
                )
    times = {key: np.array(value) for key, value in times.items()}
    for model in plans:
        best = {w: 1e3 * times[w, model].min() for w in WAYS}
        print(
            f"   {model:<13} previous {best['previous']:.0f} ms (best); "
            + "; ".join(
                f"{w} {best[w]:.0f} ms, ratio "
                f"{_mean_se(times[w, model] / times['previous', model])}"
                for w in list(WAYS)[1:]
            ),
            flush=True,
        )
    print("   time / current time (the candidate against today's predict)")
    for model in plans:
        print(
            f"   {model:<13} "
            + "; ".join(
                f"{w} {_mean_se(times[w, model] / times['current', model])}"
                for w in WAYS
                if w != "current"
            ),
            flush=True,
        )
    print(f"2. structured speed-up / FLOP ratio ({flop_ratio:.2f}x), 45,000 rows")
    for way in WAYS:
        speedup = times[way, "dense"] / times[way, "half neurons"]
        print(
            f"   {way:<24} speed-up {_mean_se(speedup)}x, / FLOP ratio "
            f"{_mean_se(speedup / flop_ratio)}",
            flush=True,
        )


def block_sizes(plans, big, flop_ratio, repeats):
    print("   by block size: speed-up / FLOP ratio, dense time")
    for way in ("current", "current, BLAS 1 thread", "worker-local"):
        forward = WAYS[way]
        for block in (512, 2048, 8192, len(big)):
            ratios, dense_times = [], []
            for _ in range(repeats):
                dense, half = plans["dense"], plans["half neurons"]
                t_dense = _timed(lambda: forward(dense, big, block), way)  # noqa: B023
                t_half = _timed(lambda: forward(half, big, block), way)  # noqa: B023
                ratios.append(t_dense / t_half / flop_ratio)
                dense_times.append(t_dense)
            print(
                f"   {way:<24} block {block:>6}: {_mean_se(ratios)}, dense "
                f"{1e3 * min(dense_times):.0f} ms (best)",
                flush=True,
            )


def concurrency(plans, big, repeats, n_threads=8, batches_per_thread=4):
    print(
        f"3. {n_threads} threads x {batches_per_thread} predicts of 4,500 rows "
        "against one thread predicting the same: throughput ratio"
    )
    batch = big[:4500]
    results = {}
    for model in ("dense", "half neurons"):
        plan = plans[model]
        expected = current_forward(plan, batch)
        for way, forward in WAYS.items():
            ratios, left = [], set()
            for _ in range(repeats):

                def work(_, forward=forward, plan=plan):
                    return [forward(plan, batch) for _ in range(batches_per_thread)]

                serial = _timed(lambda: [work(i) for i in range(n_threads)], way)  # noqa: B023
                with _blas_as_set_by(way), ThreadPoolExecutor(n_threads) as pool:
                    start = time.perf_counter()
                    outputs = list(pool.map(work, range(n_threads)))
                    parallel = time.perf_counter() - start
                    left.add(_counts())
                ratios.append(serial / parallel)
                for output in (o for thread in outputs for o in thread):
                    np.testing.assert_allclose(output, expected, rtol=1e-10)
            results[model, way] = ratios
            print(
                f"   {model:<13} {way:<24} {_mean_se(ratios)}x (results equal "
                f"the serial ones; BLAS threads left: {sorted(left)})",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    plans, big, flop_ratio = _models()
    print(
        "BLAS threads: "
        f"{_counts()}; shapes "
        f"{[W.shape for W in plans['half neurons'].coefs]} for half the neurons"
    )
    if SET_LOCAL is None:
        print("openblas_set_num_threads_local not found: worker-local = current")
    else:
        before, after = local_is_process_wide()
        print(
            "BLAS threads seen by the calling thread before / after another "
            f"thread's openblas_set_num_threads_local(1): {before} / {after}"
            + (" (process-wide)" if before != after else " (thread-local)")
        )
    single_caller(plans, big, flop_ratio, args.repeats)
    block_sizes(plans, big, flop_ratio, args.repeats)
    concurrency(plans, big, args.repeats)


if __name__ == "__main__":
    main()
