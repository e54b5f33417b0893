"""The forecast stage: will a topic show extreme growth within the horizon? And how good were our past calls?

`TopicForecaster` (behind the small `Forecaster` fit/predict_proba contract) is trained walk-forward on topic
maps refit at past pseudo-cutoffs (`train_as_of`, `forecast_as_of`); `run_backtest` measures it against the
field's baselines under the protocol of issue 4; `write_report` renders the result as a bilingual HTML page;
`build_forecasts` writes ``topic_forecasts`` for the store's topic map (migration 0004); `read_forecasts` and
`latest_backtest` (`forecast/queries.py`) are the one reader of ``topic_forecasts`` and ``backtests``.
"""
from frontierwatch.forecast.asof import forecast_as_of, predict_topics, train_as_of
from frontierwatch.forecast.backtest import BASELINES, METHODS, load_corpus, run_backtest, training_cutoffs
from frontierwatch.forecast.features import FEATURES, feature_matrix
from frontierwatch.forecast.metrics import LABEL_NAME, extreme_growth
from frontierwatch.forecast.model import (BoostedForecaster, Forecaster, LogisticForecaster, RankEnsemble,
                                          TopicForecaster)
from frontierwatch.forecast.report import write_report
from frontierwatch.forecast.queries import latest_backtest, read_forecasts
from frontierwatch.forecast.runner import build_forecasts, record_backtest
from frontierwatch.forecast.snapshots import Corpus, Snapshot, take_snapshot

__all__ = [
    "BASELINES", "BoostedForecaster", "build_forecasts", "latest_backtest", "read_forecasts", "record_backtest",
    "Corpus", "FEATURES", "Forecaster", "LABEL_NAME", "LogisticForecaster",
    "METHODS", "RankEnsemble", "Snapshot", "TopicForecaster", "extreme_growth", "feature_matrix",
    "forecast_as_of", "load_corpus", "predict_topics", "run_backtest", "take_snapshot", "train_as_of",
    "training_cutoffs", "write_report",
]
