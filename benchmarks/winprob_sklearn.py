#!/usr/bin/env python3
"""Compare SalesKPI's win-probability model with scikit-learn on exactly the same features and split.

    saleskpi backtest --db STORE --split DATE --features DIR     # writes DIR/train.csv, DIR/test.csv
    python3 benchmarks/winprob_sklearn.py DIR [DIR ...]

The CSVs hold each deal's features as SalesKPI computed them (training rows with their own outcome
left out of the rep/stage rates), its weight in the fit (each month of the quarter counts alike), the
outcome, and SalesKPI's probability (`swift_p`). This script fits scikit-learn's logistic regression
(L2, C chosen by 5-fold CV) and gradient boosting (HistGradientBoostingClassifier) on train.csv with
the same weights, scores test.csv, and computes every metric itself:
AUC, Brier, log loss and ECE (ten equal-width bins) — an independent check of SalesKPI's numbers too.
Needs: pip install scikit-learn pandas
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

CATEGORIES = ["stage", "product", "kind", "source", "industry", "segment", "team"]


def ece(p, y, bins=10):
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(p[m].mean() - y[m].mean())
    return total


def metrics(p, y):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return roc_auc_score(y, p), brier_score_loss(y, p), log_loss(y, p), ece(p, y)


def compare(folder):
    train = pd.read_csv(f"{folder}/train.csv", keep_default_na=False)
    test = pd.read_csv(f"{folder}/test.csv", keep_default_na=False)
    numbers = [c for c in train.columns if c not in CATEGORIES + ["deal", "weight", "won", "swift_p"]]
    x_train, y_train, w_train = train[numbers + CATEGORIES], train["won"].to_numpy(), train["weight"].to_numpy()
    x_test, y_test = test[numbers + CATEGORIES], test["won"].to_numpy()
    encode = ColumnTransformer([("n", StandardScaler(), numbers),
                                ("c", OneHotEncoder(handle_unknown="ignore", min_frequency=10), CATEGORIES)])
    models = {
        "sklearn_logistic_regression": make_pipeline(encode, LogisticRegressionCV(Cs=10, cv=5, max_iter=2000)),
        "sklearn_gradient_boosting": make_pipeline(
            ColumnTransformer([("n", "passthrough", numbers),
                               ("c", OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False), CATEGORIES)]),
            HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, early_stopping=True, random_state=0)),
    }
    rows = [("saleskpi_logistic_regression", *metrics(test["swift_p"].to_numpy(), y_test), float("nan"))]
    for name, model in models.items():
        t = time.perf_counter()
        model.fit(x_train, y_train, **{f"{model.steps[-1][0]}__sample_weight": w_train})
        seconds = time.perf_counter() - t
        rows.append((name, *metrics(model.predict_proba(x_test)[:, 1], y_test), seconds))
    print(f"\n{folder}: {len(train)} training deals, {len(test)} test deals")
    print(f"{'model':30} {'AUC':>6} {'Brier':>6} {'LogLoss':>8} {'ECE':>6} {'fit s':>6}")
    for name, auc, brier, ll, e, s in rows:
        print(f"{name:30} {auc:6.3f} {brier:6.3f} {ll:8.3f} {e:6.3f} {s:6.2f}")
    best = max(r[1] for r in rows[1:])
    print(f"SalesKPI AUC − best scikit-learn AUC: {rows[0][1] - best:+.3f}")


if __name__ == "__main__":
    for folder in sys.argv[1:] or ["."]:
        compare(folder)
