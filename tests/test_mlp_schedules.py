import re
import warnings
from copy import deepcopy

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold

from skprune.neural import MLPClassifier, MLPPruner, MLPPrunerCV
from skprune.neural._criteria import CRITERIA, PruningData
from skprune.neural._granularities import PruningContext, Weight

X, Y = load_digits(return_X_y=True)
X = X / 16


def _fitted(hidden=(10,), **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPClassifier(
            hidden_layer_sizes=hidden, max_iter=20, random_state=0, alpha=0.0, **params
        ).fit(X, Y)


def weight_scores(model, criterion, rng, X, Y, scope="global"):
    """The scores the weight granularity ranks: pruned weights at -inf."""
    context = PruningContext(PruningData(X, Y), rng, scope, reference=None)
    return Weight().ranked_scores(model, CRITERIA[criterion], context)


def _prune(model, **params):
    return MLPPruner(model, prefit=True, finetune_iter=0, random_state=0, **params).fit(
        X, Y
    )


@pytest.mark.parametrize("criterion", ["gradient", "taylor"])
def test_gradient_criteria_prune_weights_the_loss_ignores(criterion):
    # Some pixels of digits are always 0: their weights get no gradient at all.
    dead = np.flatnonzero(np.all(X == 0, axis=0))
    assert len(dead) >= 1
    model = _fitted()
    n_dead = len(dead) * model.coefs_[0].shape[1]
    pruner = _prune(
        model, sparsity=n_dead / sum(W.size for W in model.coefs_), criterion=criterion
    )
    assert not pruner.masks_[0][dead].any()  # exactly the dead inputs' weights
    assert pruner.masks_[0].sum() == pruner.masks_[0].size - n_dead


def test_taylor_ignores_large_gradients_on_zero_weights():
    model = _fitted()
    model.coefs_[1][:, 0] = 0.0  # zero weights, yet large gradients
    Xe, Ye = X, model._encode_targets(Y)
    rng = np.random.RandomState(0)
    gradient = weight_scores(model, "gradient", rng, Xe, Ye, scope="layer")[1]
    taylor = weight_scores(model, "taylor", rng, Xe, Ye, scope="layer")[1]
    assert np.all(taylor[:, 0] == 0)
    assert np.all(gradient[:, 0] > 0)


def test_global_gradient_scores_are_normalised_per_layer():
    model = _fitted(hidden=(30, 20))
    Xe, Ye = X, model._encode_targets(Y)
    scores = weight_scores(model, "gradient", np.random.RandomState(0), Xe, Ye)
    for score in scores:
        np.testing.assert_allclose(score.mean(), 1.0)


@pytest.mark.parametrize(
    "criterion",
    ["activation", "l1-out", "l2-out", "l1-in", "l2-in", "magnitude", "taylor"],
)
def test_neuron_criteria_find_the_useless_neurons(criterion):
    model = _fitted(hidden=(12,))
    useless = [3, 7]
    if criterion in ("activation",):
        model.intercepts_[0][useless] = -100.0  # relu never fires
    elif criterion.endswith("out"):
        model.coefs_[1][useless, :] = 0.0
    else:
        model.coefs_[0][:, useless] *= 1e-6
        model.intercepts_[0][useless] = -100.0  # and no gradient reaches them
    pruner = _prune(model, sparsity=2 / 12, granularity="neuron", criterion=criterion)
    small = pruner.estimator_
    assert small.coefs_[0].shape == (64, 10)
    # The two useless neurons are the ones gone.
    assert np.all(np.linalg.norm(small.coefs_[1], axis=1) > 0)
    assert np.all(small.intercepts_[0] > -100.0)


@pytest.mark.parametrize("pattern", ["2:4", "1:4", "4:8", "3:5"])
def test_n_m_invariant_on_every_group(pattern):
    n, m = map(int, pattern.split(":"))
    model = _fitted(hidden=(30, 10))  # fan-ins 64, 30, 10
    pruner = _prune(model, granularity=pattern)
    for W, mask in zip(pruner.estimator_.coefs_, pruner.masks_, strict=True):
        fan_in = W.shape[0]
        for start in range(0, fan_in, m):
            kept = mask[start : start + m].sum(axis=0)
            expected = min(n, min(m, fan_in - start))
            np.testing.assert_array_equal(kept, expected)
        assert np.all(W[~mask] == 0)
    total = sum(mask.size for mask in pruner.masks_)
    kept = sum(
        W.shape[1]
        * sum(min(n, W.shape[0] - start) for start in range(0, W.shape[0], m))
        for W in pruner.estimator_.coefs_
    )
    assert pruner.sparsity_["overall"] == pytest.approx(1 - kept / total)


def test_two_four_keeps_the_two_largest_of_four():
    model = _fitted()
    pruner = _prune(model, granularity="2:4")
    W0 = np.abs(model.coefs_[0])
    for start in range(0, 64, 4):
        block = W0[start : start + 4]
        top_two = np.sort(block, axis=0)[2]
        kept = pruner.masks_[0][start : start + 4]
        assert np.all(np.where(kept, block, np.inf).min(axis=0) >= top_two)


def test_gradual_ramp_follows_zhu_and_gupta():
    mlp = MLPClassifier(
        hidden_layer_sizes=(20,), max_iter=12, random_state=0, n_iter_no_change=100
    )
    pruner = MLPPruner(
        mlp,
        sparsity=0.8,
        schedule="gradual",
        ramp_start=1,
        ramp_end=7,
        ramp_every=5,
        random_state=0,
    ).fit(X, Y)
    steps_per_epoch = -(-len(X) // 200)
    t0, t1 = 1 * steps_per_epoch, 7 * steps_per_epoch
    total = sum(mask.size for mask in pruner.masks_)
    ramp = [h for h in pruner.history_ if "step" in h]
    assert ramp[0]["step"] == t0 and ramp[-1]["step"] == t1
    for entry in ramp:
        t = entry["step"]
        assert t == t1 or (t - t0) % 5 == 0
        expected = 0.8 * (1 - (1 - (t - t0) / (t1 - t0)) ** 3)
        assert entry["sparsity"] == pytest.approx(expected, abs=1 / total)
    assert pruner.sparsity_["overall"] == pytest.approx(0.8, abs=0.005)
    for W, mask in zip(pruner.estimator_.coefs_, pruner.masks_, strict=True):
        assert np.all(W[~mask] == 0)


def test_lottery_rewinds_the_survivors():
    mlp = MLPClassifier(hidden_layer_sizes=(20,), max_iter=2, random_state=0)
    # max_iter == rewind_iter: no retraining, so the final weights are the
    # rewound ones and can be checked exactly.
    pruner = MLPPruner(
        mlp, sparsity=0.6, schedule="lottery", n_rounds=2, rewind_iter=2, random_state=0
    ).fit(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        early = deepcopy(mlp).fit(X, Y)  # the same two epochs
    for W, W_early, rewound, mask in zip(
        pruner.estimator_.coefs_,
        early.coefs_,
        pruner.rewind_coefs_,
        pruner.masks_,
        strict=True,
    ):
        np.testing.assert_array_equal(rewound, W_early)
        np.testing.assert_array_equal(W, W_early * mask)
    assert pruner.sparsity_["overall"] == pytest.approx(0.6, abs=0.005)


def test_lottery_rewinds_to_initialisation_by_default():
    mlp = MLPClassifier(hidden_layer_sizes=(20,), max_iter=5, random_state=0)
    pruner = MLPPruner(
        mlp, sparsity=0.5, schedule="lottery", n_rounds=1, random_state=0
    ).fit(X, Y)
    fresh = deepcopy(mlp)
    fresh._start_training(X, Y)
    for rewound, W0 in zip(pruner.rewind_coefs_, fresh.coefs_, strict=True):
        np.testing.assert_array_equal(rewound, W0)


def test_snip_prunes_before_any_training_step():
    mlp = MLPClassifier(hidden_layer_sizes=(20,), max_iter=5, random_state=0)
    pruner = MLPPruner(
        mlp, sparsity=0.9, schedule="at-init", criterion="taylor", random_state=0
    ).fit(X, Y)
    fresh = deepcopy(mlp)
    Xe, Ye, _ = fresh._start_training(X, Y)
    batch = np.random.RandomState(0).permutation(len(X))[:200]
    scores = weight_scores(fresh, "taylor", None, Xe[batch], Ye[batch])
    total = sum(s.size for s in scores)
    cut = np.sort(np.concatenate([s.ravel() for s in scores]))[round(0.9 * total)]
    for mask, score in zip(pruner.init_masks_, scores, strict=True):
        assert np.all(score[mask] >= cut)
    for mask, init_mask in zip(pruner.masks_, pruner.init_masks_, strict=True):
        np.testing.assert_array_equal(mask, init_mask)
    assert pruner.estimator_.n_iter_ == len(pruner.estimator_.loss_curve_) <= 5


@pytest.mark.parametrize(
    "schedule, params",
    [
        ("one-shot", {}),
        ("iterative", {"n_rounds": 3}),
        ("gradual", {}),
        ("lottery", {"n_rounds": 2}),
        ("at-init", {"criterion": "taylor"}),
    ],
)
def test_every_schedule_reaches_its_target(schedule, params):
    mlp = MLPClassifier(hidden_layer_sizes=(20,), max_iter=8, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner = MLPPruner(
            mlp,
            sparsity=0.9,
            schedule=schedule,
            finetune_iter=2,
            random_state=0,
            **params,
        ).fit(X, Y)
    assert pruner.sparsity_["overall"] == pytest.approx(0.9, abs=0.005)


def test_invalid_combinations():
    mlp = MLPClassifier(hidden_layer_sizes=(5,), max_iter=2)
    for params, match in [
        ({"granularity": "neuron", "schedule": "gradual"}, "one-shot"),
        ({"granularity": "2:4", "schedule": "iterative"}, "N:M"),
        ({"granularity": "5:4"}, "0 < N < M"),
        ({"granularity": "blocks"}, "N:M pattern"),
        ({"criterion": "activation"}, "scores neurons"),
        ({"schedule": "lottery", "prefit": True}, "initial weights"),
    ]:
        with pytest.raises(ValueError, match=match):
            MLPPruner(mlp, **params).fit(X, Y)


def test_cv_scores_equal_mlp_pruner_at_the_same_sparsity_on_the_same_fold():
    mlp = MLPClassifier(hidden_layer_sizes=(24,), max_iter=15, random_state=0)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = MLPPrunerCV(
            mlp,
            sparsity=0.9,
            n_rounds=3,
            finetune_iter=3,
            cv=cv,
            random_state=0,
            rule="best",
        ).fit(X, Y)
        train, test = next(cv.split(X, Y))
        sparsities = search.cv_results_["param_sparsity"]
        for r in (1, 3):
            pruner = MLPPruner(
                mlp,
                sparsity=sparsities[r],
                schedule="iterative",
                n_rounds=r,
                finetune_iter=3,
                random_state=0,
            )
            pruner.fit(X[train], Y[train])
            assert search.cv_results_["split0_test_score"][r] == pruner.score(
                X[test], Y[test]
            )
    np.testing.assert_allclose(sparsities, [0, *(1 - 0.1 ** (np.arange(1, 4) / 3))])
    sizes = search.cv_results_["size"]
    assert np.all(np.diff(sizes) < 0)
    best = search.best_estimator_
    assert sum(np.count_nonzero(W) for W in best.coefs_) == sizes[search.best_index_]


def test_cv_refuses_what_the_pruner_refuses():
    mlp = MLPClassifier(hidden_layer_sizes=(5,), max_iter=2)
    with pytest.raises(ValueError, match="scores neurons"):
        MLPPrunerCV(mlp, criterion="activation").fit(X, Y)
    with pytest.raises(TypeError, match="MLPPruner prunes"):
        from sklearn.linear_model import LogisticRegression

        MLPPrunerCV(LogisticRegression(), cv=2).fit(X, Y)


@pytest.mark.parametrize(
    "schedule, path",
    [
        ("one-shot", [0.0, 0.8]),
        ("iterative", [0.0, 1 - 0.2**0.5, 0.8]),
        ("gradual", [0.8 * (1 - 0.5**3), 0.8]),
        ("lottery", [0.0, 1 - 0.2**0.5, 0.8]),
        ("at-init", [0.8]),
    ],
)
def test_cv_scores_every_schedule_as_the_pruner_on_the_same_fold(schedule, path):
    # Early stopping off and no tolerance: the gradual ramp runs to its end.
    mlp = MLPClassifier(
        hidden_layer_sizes=(16,), max_iter=8, random_state=0, n_iter_no_change=100
    )
    params = dict(
        sparsity=0.8, schedule=schedule, n_rounds=2, finetune_iter=2, random_state=0
    )
    cv = StratifiedKFold(2, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = MLPPrunerCV(mlp, cv=cv, rule="best", **params).fit(X, Y)
        train, test = next(cv.split(X, Y))
        pruner = MLPPruner(mlp, **params).fit(X[train], Y[train])
    np.testing.assert_allclose(search.cv_results_["param_sparsity"], path)
    # The path's last point is the pruner's model on that fold.
    last = search.cv_results_["split0_test_score"][-1]
    assert last == pruner.score(X[test], Y[test])
    best = search.best_estimator_
    assert (
        sum(np.count_nonzero(W) for W in best.coefs_)
        == (search.cv_results_["size"][search.best_index_])
    )


def test_gradual_checkpoints_are_taken_where_the_ramp_passes_them():
    mlp = MLPClassifier(
        hidden_layer_sizes=(16,), max_iter=8, random_state=0, n_iter_no_change=100
    )
    pruner = MLPPruner(mlp, sparsity=0.8, schedule="gradual", n_rounds=4, ramp_end=4)
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner._fit(X, Y, on_checkpoint=lambda s, m: seen.append((s, deepcopy(m))))
    nominal = [0.8 * (1 - (1 - k / 4) ** 3) for k in range(1, 5)]
    np.testing.assert_allclose([s for s, _ in seen], nominal)
    for target, model in seen:
        reached = 1 - sum(m.sum() for m in model.masks_) / sum(
            m.size for m in model.masks_
        )
        # At least the nominal sparsity, at most one mask update beyond it.
        assert target - 1e-3 <= reached <= target + 0.1
    np.testing.assert_array_equal(seen[-1][1].coefs_[0], pruner.estimator_.coefs_[0])


def test_a_refused_combination_trains_nothing():
    class Untrainable(MLPClassifier):
        def fit(self, X, y):
            raise AssertionError("trained before the combination was checked")

    mlp = Untrainable(hidden_layer_sizes=(5,))
    for params in [
        {"granularity": "neuron", "schedule": "lottery"},
        {"granularity": "2:4", "schedule": "gradual"},
        {"criterion": "l1-out"},
        {"schedule": "at-init", "distill": 0.5},
        {"granularity": "layer"},
    ]:
        with pytest.raises(ValueError):
            MLPPruner(mlp, **params).fit(X, Y)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"schedule": "iterative", "granularity": "neuron"},
        {"schedule": "gradual"},
        {"schedule": "lottery", "n_rounds": 1},
        {"schedule": "at-init"},
    ],
)
def test_fit_writes_only_parameters_and_fitted_attributes(params):
    mlp = MLPClassifier(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    pruner = MLPPruner(mlp, finetune_iter=1, random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner.fit(X, Y)
    extra = set(vars(pruner)) - set(pruner.get_params(deep=False))
    assert extra and all(name.endswith("_") for name in extra), extra


def test_activation_ranks_by_variation_seen_by_the_next_layer():
    model = _fitted(hidden=(12,))
    model.coefs_[0][:, 3] = 0.0
    model.intercepts_[0][3] = 50.0  # always on, constant: a bias could carry it
    data = PruningData(X, model._encode_targets(Y))
    (scores,) = CRITERIA["activation"].neurons(model, data, None)
    hidden = np.maximum(X @ model.coefs_[0] + model.intercepts_[0], 0)
    expected = hidden.std(axis=0) * np.linalg.norm(model.coefs_[1], axis=1)
    np.testing.assert_allclose(scores, expected, rtol=1e-12)
    assert scores[3] == 0 and hidden[:, 3].mean() > hidden.mean(axis=0).max() / 2
    pruner = _prune(
        model, sparsity=1 / 12, granularity="neuron", criterion="activation"
    )
    assert 50.0 not in pruner.estimator_.intercepts_[0]


def test_every_combination_fits_to_its_target_or_is_refused_by_resolve():
    from skprune.neural._criteria import CRITERIA as ALL
    from skprune.neural._schedules import SCHEDULES
    from skprune.neural._strategies import resolve

    mlp = MLPClassifier(hidden_layer_sizes=(8, 6), max_iter=2, random_state=0)
    X_small, Y_small = X[:150], Y[:150]
    n_fitted = 0
    for granularity in ["weight", "neuron", "layer", "2:4"]:
        for criterion in ALL:
            for schedule in SCHEDULES:
                pruner = MLPPruner(
                    mlp,
                    sparsity=0.5,
                    granularity=granularity,
                    criterion=criterion,
                    schedule=schedule,
                    n_rounds=2,
                    finetune_iter=1,
                    random_state=0,
                )
                try:
                    resolve(pruner)
                except ValueError as refusal:
                    with pytest.raises(ValueError, match=re.escape(str(refusal))):
                        pruner.fit(X_small, Y_small)
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    pruner.fit(X_small, Y_small)
                n_fitted += 1
                expected = 0.5 if granularity != "2:4" else pruner.sparsity_["overall"]
                assert pruner.sparsity_["overall"] == pytest.approx(expected, abs=0.01)
    # weight: 4 criteria x 5 schedules; neuron: 9 x 3; layer: 2 x 3; 2:4: 4 x 2.
    assert n_fitted == 20 + 27 + 6 + 8


def test_gradual_stopped_early_still_passes_every_checkpoint():
    # tol this large stops training after a few epochs, long before the ramp ends.
    mlp = MLPClassifier(
        hidden_layer_sizes=(16,), max_iter=40, tol=10.0, n_iter_no_change=1
    )
    pruner = MLPPruner(
        mlp, sparsity=0.8, schedule="gradual", n_rounds=3, finetune_iter=1
    )
    seen = []
    pruner._fit(X, Y, on_checkpoint=lambda s, m: seen.append(s))
    ramp = [h["step"] for h in pruner.history_ if "step" in h]
    steps_per_epoch = -(-len(X) // 200)
    assert max(ramp) < 20 * steps_per_epoch  # the ramp was cut short...
    # ...so both checkpoints before the target, then the target, were completed.
    assert len(pruner.history_) == len(ramp) + 3
    np.testing.assert_allclose(seen, [0.8 * (1 - (1 - k / 3) ** 3) for k in (1, 2, 3)])
    assert pruner.sparsity_["overall"] == pytest.approx(0.8, abs=0.005)
    search = MLPPrunerCV(mlp, sparsity=0.8, schedule="gradual", n_rounds=3, cv=2)
    assert len(search.fit(X, Y).cv_results_["mean_test_score"]) == 3


def test_neurons_removed_at_initialisation_train_a_smaller_network():
    mlp = MLPClassifier(hidden_layer_sizes=(20, 10), max_iter=5, random_state=0)
    params = dict(granularity="neuron", schedule="at-init", scope="layer")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pruner = MLPPruner(mlp, sparsity=0.5, **params).fit(X, Y)
        # A step too small to move the weights shows which neurons were kept.
        still = MLPClassifier(
            hidden_layer_sizes=(20, 10),
            solver="sgd",
            learning_rate_init=1e-12,
            max_iter=1,
            random_state=0,
        )
        kept = MLPPruner(still, sparsity=0.5, **params).fit(X, Y).estimator_
    model = pruner.estimator_
    assert [W.shape for W in model.coefs_] == [(64, 10), (10, 5), (5, 10)]
    assert model.n_iter_ == len(model.loss_curve_) == 5  # trained after pruning
    fresh = deepcopy(still)
    fresh._start_training(X, Y)
    largest = np.sort(np.argsort(np.linalg.norm(fresh.coefs_[0], axis=0))[10:])
    np.testing.assert_allclose(kept.coefs_[0], fresh.coefs_[0][:, largest], atol=1e-9)
