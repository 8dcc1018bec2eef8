import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier

from skprune.metrics import model_size
from skprune.neural import (
    MLPClassifier,
    MLPPruner,
    MLPPrunerCV,
    MLPRegressor,
    quantize,
)
from skprune.neural._quantize import _StoredMatrix

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X, Y = load_digits(return_X_y=True)
X = X / 16


@pytest.fixture(scope="module")
def dense():
    return MLPClassifier(hidden_layer_sizes=(60, 30), max_iter=60, random_state=0).fit(
        X, Y
    )


@pytest.fixture(scope="module")
def pruned(dense):
    return MLPPruner(dense, sparsity=0.9, prefit=True, random_state=0).fit(X, Y)


def _pickled(model):
    return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


@pytest.mark.parametrize("bits", [0, 4, 7, 32, "8", 8.0, True])
def test_unsupported_bits_list_the_supported_ones(dense, bits):
    with pytest.raises(ValueError, match=r"supports bits=8 or bits=16"):
        quantize(dense, bits=bits)


@pytest.mark.parametrize(
    "model",
    [
        MLPClassifier(),
        MLPRegressor(),
        SklearnMLPClassifier(),
        MLPPruner(MLPClassifier()),
        MLPPrunerCV(MLPClassifier()),
    ],
    ids=lambda m: type(m).__name__,
)
def test_unfitted_models_are_refused(model):
    with pytest.raises(NotFittedError):
        quantize(model)


def test_other_models_are_refused():
    with pytest.raises(TypeError, match="LogisticRegression"):
        quantize(LogisticRegression().fit(X, Y))


@pytest.mark.parametrize("bits", [8, 16])
def test_weights_are_integers_with_one_scale_per_unit(pruned, bits):
    model = pruned.estimator_
    quantized = quantize(pruned, bits=bits)
    largest = 2 ** (bits - 1) - 1
    for W, Q, scale, W_hat in zip(
        model.coefs_,
        quantized.quantized_coefs_,
        quantized.scales_,
        quantized.coefs_,
        strict=True,
    ):
        assert Q.dtype == np.dtype(f"int{bits}")
        assert scale.shape == (W.shape[1],)
        assert np.abs(Q).max() == largest  # the largest weight of some unit
        np.testing.assert_array_equal(Q != 0, W != 0)  # pruned zeros stay zero
        np.testing.assert_allclose(W_hat, Q * scale)
        assert np.all(np.abs(W_hat - W) <= scale / 2 + 1e-12)
    for b, kept in zip(model.intercepts_, quantized.intercepts_, strict=True):
        np.testing.assert_array_equal(b, kept)


def test_quantizing_leaves_the_model_alone(pruned):
    before = [W.copy() for W in pruned.estimator_.coefs_]
    quantize(pruned)
    for W, W_before in zip(pruned.estimator_.coefs_, before, strict=True):
        np.testing.assert_array_equal(W, W_before)


@pytest.mark.parametrize("granularity", ["weight", "neuron"])
def test_int8_predicts_like_the_pruned_model(dense, granularity):
    pruner = MLPPruner(
        dense, sparsity=0.5, granularity=granularity, prefit=True, random_state=0
    ).fit(X, Y)
    quantized = quantize(pruner)
    assert [Q.shape for Q in quantized.quantized_coefs_] == [
        W.shape for W in pruner.estimator_.coefs_
    ]
    np.testing.assert_array_equal(quantized.classes_, pruner.classes_)
    for rows in (10, 1000):  # with and without the float model's plan
        proba = quantized.predict_proba(X[:rows])
        np.testing.assert_allclose(proba, pruner.predict_proba(X[:rows]), atol=0.02)
        assert (quantized.predict(X[:rows]) == pruner.predict(X[:rows])).mean() > 0.99
    np.testing.assert_allclose(
        np.exp(quantized.predict_log_proba(X[:10])), quantized.predict_proba(X[:10])
    )
    assert abs(quantized.score(X, Y) - pruner.score(X, Y)) < 0.01


def test_sixteen_bits_are_closer_than_eight(pruned):
    errors = [
        np.abs(quantize(pruned, bits=bits).predict_proba(X) - pruned.predict_proba(X))
        for bits in (8, 16)
    ]
    assert errors[1].max() < errors[0].max() / 10


def test_regressor_and_scikit_learn_source():
    y = np.eye(10)[Y] @ np.arange(10.0)
    regressor = MLPRegressor(hidden_layer_sizes=(30,), max_iter=200, random_state=0)
    regressor.fit(X, y)
    quantized = quantize(regressor)
    assert quantized.predict(X).shape == (len(X),)
    np.testing.assert_allclose(quantized.predict(X), regressor.predict(X), atol=0.1)
    theirs = SklearnMLPClassifier(hidden_layer_sizes=(20,), max_iter=50, random_state=0)
    theirs.fit(X, Y)
    assert (quantize(theirs).predict(X) == theirs.predict(X)).mean() > 0.99


def test_sparse_input_and_feature_checks(pruned):
    quantized = quantize(pruned)
    np.testing.assert_allclose(
        quantized.predict_proba(sp.csr_matrix(X)), quantized.predict_proba(X)
    )
    with pytest.raises(ValueError, match="features"):
        quantized.predict(X[:, :10])


def test_pickles_small_and_predicts_the_same_after(pruned):
    quantized = quantize(pruned)
    proba = quantized.predict_proba(X)  # builds the plan, which is not pickled
    blob = pickle.dumps(quantized, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"InferencePlan" not in blob
    restored = pickle.loads(blob)
    np.testing.assert_array_equal(restored.predict_proba(X), proba)
    # The float pruned model pickles its sparse layers as float64 CSR.
    assert len(blob) < 0.4 * _pickled(pruned.estimator_)


def test_model_size_reports_the_real_bytes(pruned):
    quantized = quantize(pruned)
    size = model_size(quantized)
    assert size["bytes"] == _pickled(quantized)
    assert size["bits"] == 8
    float_size = model_size(pruned)
    for key in ("parameters", "nonzero_parameters", "neurons", "flops"):
        assert size[key] == float_size[key]
    assert size["bytes_weights"] < size["bytes"] < 0.4 * float_size["bytes"]


@pytest.mark.parametrize(
    "density, form", [(1.0, "dense"), (0.1, "bitmask"), (0.01, "csr")]
)
def test_each_matrix_takes_its_smallest_form(density, form):
    rng = np.random.RandomState(0)
    Q = rng.randint(-127, 128, size=(300, 100)).astype(np.int8)
    Q[rng.uniform(size=Q.shape) > density] = 0
    stored = _StoredMatrix.smallest(Q)
    assert stored.form == form
    np.testing.assert_array_equal(stored.toarray(), Q)
    assert stored.nbytes <= Q.nbytes


def test_concurrent_first_predicts_agree(pruned):
    # The dequantised plan is built on first use, possibly by several threads.
    quantized = quantize(pruned)
    expected = quantize(pruned).predict_proba(X[:600])
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: quantized.predict_proba(X[:600]), range(8)))
    for got in results:
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_a_pipeline_is_quantised_at_its_last_step():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skprune.metrics import model_size

    mlp = MLPClassifier(hidden_layer_sizes=(30,), max_iter=30, random_state=0)
    pipeline = make_pipeline(StandardScaler(), MLPPruner(mlp, random_state=0))
    pipeline.fit(X, Y)
    small = quantize(pipeline)
    assert small[0] is pipeline[0]
    assert model_size(small)["bytes"] < model_size(pipeline)["bytes"]
    assert (
        small.predict(X) == quantize(pipeline[-1]).predict(pipeline[0].transform(X))
    ).all()
    assert small.score(X, Y) > 0.9


def test_a_quantised_model_is_an_estimator_that_refuses_to_train(pruned):
    from sklearn.utils.validation import check_is_fitted

    quantized = quantize(pruned)
    check_is_fitted(quantized)
    with pytest.raises(TypeError, match="fit the float model, then"):
        quantized.fit(X, Y)
