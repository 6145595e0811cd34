#!/usr/bin/env bash
# The win-probability model against scikit-learn, on the same features and split, in one run:
# accuracy (AUC, Brier, log loss, ECE) and training time.
#
#   bash benchmarks/winprob.sh STORE SPLIT          e.g. maven.sqlite 2017-07-01
#   bash benchmarks/winprob.sh /tmp/bench10m/bench.sqlite 2026-07-01     (≈ 94 000 training deals, `saleskpi bench`'s store)
#
# Needs: pip install scikit-learn pandas
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:?store}; split=${2:?split date}
swift build -c release --scratch-path .build-release --product saleskpi >/dev/null 2>&1
bin=.build-release/release/saleskpi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
$bin backtest --db "$store" --split "$split" --lang en --features "$dir" | head -8
python3 benchmarks/winprob_sklearn.py "$dir" 2>/dev/null
