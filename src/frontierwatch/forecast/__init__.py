"""The forecast stage: will a topic show extreme growth within the horizon? And how good were our past calls?

One as-of path (`forecast_at`) makes the forecast the product publishes as of a year end: the topic map of that
date (the fit `build` writes, shared through ``topic_fits``), features from documents up to then, the
`TopicForecaster` trained walk-forward on maps refit at past pseudo-cutoffs, and the published order,
probabilities with intervals, implied share ratios and calls. `build_forecasts` writes it to
``topic_forecasts``; `run_backtest` scores exactly it against the field's baselines; `write_report` renders a
backtest as a bilingual HTML page. Snapshots and forecasts are cached in the store (`ForecastCaches`);
`read_forecasts` and `latest_backtest` (`forecast/queries.py`) are the one reader of ``topic_forecasts`` and
``backtests``.
"""
from frontierwatch.forecast.asof import (MODEL_VERSION, AsOfForecast, forecast_at, train_forecaster,
                                         training_cutoffs)
from frontierwatch.forecast.backtest import (BASELINES, METHODS, REPORT_CUTOFFS, TUNING_CUTOFFS, load_corpus,
                                             run_backtest)
from frontierwatch.forecast.features import FEATURES, PRODUCT_FEATURES, feature_matrix
from frontierwatch.forecast.metrics import LABEL_NAME, extreme_growth
from frontierwatch.forecast.model import (BoostedForecaster, Forecaster, LogisticForecaster, RankEnsemble,
                                          TopicForecaster)
from frontierwatch.forecast.report import write_report
from frontierwatch.forecast.queries import latest_backtest, read_forecasts
from frontierwatch.forecast.runner import build_forecasts, record_backtest
from frontierwatch.forecast.snapshots import Corpus, Snapshot, take_snapshot
from frontierwatch.forecast.tables import ForecastCaches

__all__ = [
    "AsOfForecast", "BASELINES", "BoostedForecaster", "build_forecasts", "Corpus", "FEATURES",
    "ForecastCaches", "Forecaster", "forecast_at", "LABEL_NAME", "latest_backtest", "load_corpus",
    "LogisticForecaster", "METHODS", "MODEL_VERSION", "PRODUCT_FEATURES", "RankEnsemble", "read_forecasts",
    "record_backtest", "REPORT_CUTOFFS", "run_backtest", "Snapshot", "take_snapshot", "TopicForecaster",
    "train_forecaster", "training_cutoffs", "TUNING_CUTOFFS", "extreme_growth", "feature_matrix", "write_report",
]
