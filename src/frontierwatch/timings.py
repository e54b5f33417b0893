"""Stage timings: where a command's time and memory go — wall time, CPU time, rows and peak memory of each stage.

The core (`Observatory`) opens a `RunTimings` around each long command (``ingest``, ``build``, ``update``,
``catalog``, ``backtest``) with `timed_run`; the pipeline wraps each stage it runs in `stage(...)`, which adds
to the run in progress (a context variable, so no stage signature carries it) and does nothing but time when no
run is open. Every face gets the result: the CLI prints it at the end (`format_timings`), writes it with
``--profile PATH`` and puts it in ``--json``; the store keeps the last runs (``runs`` table,
`frontierwatch.store.runs`) and ``frontierwatch status`` shows the latest.

A stage opened inside another (``catalog`` building a missing map runs ``build``'s stages) is a step of the outer
one, so the stages of a run never overlap and their shares add up to at most the whole.

Peak memory per stage: on Linux the kernel's high-water mark of resident memory (VmHWM) is reset when a stage
starts (``/proc/self/clear_refs``), so each stage reports its own peak; elsewhere the process's lifetime peak
(``ru_maxrss``) is reported and ``peak_scope`` says so. Child processes (the ingest parse worker) count through
``RUSAGE_CHILDREN``, which covers children that have finished.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import platform
import re
import resource
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

_CLEAR_REFS = "/proc/self/clear_refs"
_STATUS = "/proc/self/status"


def _reset_peak() -> bool:
    """Reset this process's peak resident memory to its current size; False where the system cannot."""
    try:
        with open(_CLEAR_REFS, "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_mib(per_stage: bool) -> float:
    """Peak resident memory (MiB): since the last reset when `per_stage`, else since the process started."""
    if per_stage:
        try:
            with open(_STATUS) as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _children_peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def _cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class StageTiming:
    """One stage of a run. ``rows``: what the stage produced or handled (documents ingested, vectors computed,
    topics, editions entries...), None when it has no natural count; ``note``: a short word on what the rows are."""

    stage: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    rows: int | None = None
    note: str = ""
    peak_rss_mib: float = 0.0
    children_peak_rss_mib: float = 0.0
    steps: list[dict] = field(default_factory=list)  # [{"step", "seconds"}]: the stage's own progress steps
    _step_t0: float | None = field(default=None, repr=False)

    def step(self, name: str) -> None:
        """Start step `name` of this stage (ending the previous one): wire it to a stage's progress callback to see
        inside the stage (the topic model's fit / fields / keyphrases, the forecast's refits) at no cost."""
        now = time.perf_counter()
        self._close_step(now)
        self.steps.append({"step": name, "seconds": 0.0})
        self._step_t0 = now

    def _close_step(self, now: float) -> None:
        if self._step_t0 is not None and self.steps:
            self.steps[-1]["seconds"] = round(self.steps[-1]["seconds"] + now - self._step_t0, 3)
        self._step_t0 = None


@dataclass
class RunTimings:
    """The stages of one command, in the order they ran."""

    command: str
    args: dict = field(default_factory=dict)
    started: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    status: str = "running"
    seconds: float = 0.0
    stages: list[StageTiming] = field(default_factory=list)
    peak_scope: str = "stage"
    machine: dict = field(default_factory=lambda: {
        "cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(terse=True),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]})

    def __post_init__(self) -> None:
        self._t0 = time.perf_counter()
        self._open: StageTiming | None = None

    @contextlib.contextmanager
    def stage(self, name: str, note: str = "") -> Iterator[StageTiming]:
        """Time the block as stage `name`; set ``.rows`` on the yielded `StageTiming` inside the block. Inside
        another stage of this run, the block is timed as a step of that stage instead."""
        if self._open is not None:
            outer, inner, t0 = self._open, StageTiming(name, note=note), time.perf_counter()
            outer.step(name)
            try:
                yield inner  # rows set on it go nowhere: the outer stage counts its own
            finally:
                outer._close_step(time.perf_counter())
                inner.seconds = round(time.perf_counter() - t0, 3)
            return
        timing = StageTiming(name, note=note)
        self._open = timing
        per_stage = _reset_peak()
        if not per_stage:
            self.peak_scope = "process"
        t0, c0 = time.perf_counter(), _cpu_seconds()
        try:
            yield timing
        finally:
            timing._close_step(time.perf_counter())
            timing.seconds = round(time.perf_counter() - t0, 3)
            timing.cpu_seconds = round(_cpu_seconds() - c0, 3)
            timing.peak_rss_mib = _peak_mib(per_stage)
            timing.children_peak_rss_mib = _children_peak_mib()
            self.stages.append(timing)
            self._open = None

    def finish(self, status: str = "done") -> "RunTimings":
        self.status = status
        self.seconds = round(time.perf_counter() - self._t0, 3)
        return self

    @property
    def peak_rss_mib(self) -> float:
        return max([s.peak_rss_mib for s in self.stages] + [0.0])

    def as_dict(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k != "stages"}
        out["peak_rss_mib"] = self.peak_rss_mib
        out["stages"] = [{k: v for k, v in asdict(s).items() if not k.startswith("_")}
                         | {"share": round(s.seconds / self.seconds, 3) if self.seconds else None} for s in self.stages]
        return out


_CURRENT: contextvars.ContextVar[RunTimings | None] = contextvars.ContextVar("frontierwatch_run", default=None)


@contextlib.contextmanager
def timed_run(command: str, args: dict | None = None) -> Iterator[RunTimings]:
    """Open the run of `command`: stages opened with `stage` inside the block are added to it. The run is
    finished on the way out with status ``done``, ``failed`` (an exception) or ``interrupted`` (Ctrl-C)."""
    if _CURRENT.get() is not None:  # a command run by another (`update` ingests): the outer run holds its stages
        yield _CURRENT.get()
        return
    run = RunTimings(command, {k: v for k, v in (args or {}).items() if v is not None})
    token = _CURRENT.set(run)
    try:
        yield run
    except KeyboardInterrupt:
        run.finish("interrupted")
        raise
    except BaseException:
        run.finish("failed")
        raise
    else:
        run.finish("done")
    finally:
        _CURRENT.reset(token)


@contextlib.contextmanager
def stage(name: str, note: str = "") -> Iterator[StageTiming]:
    """Time the block as stage `name` of the run in progress (see `timed_run`); with none open, the block is
    timed on its own and the timing goes nowhere. Set ``.rows`` on the yielded `StageTiming`; call its
    ``.step(name)`` to see inside the stage."""
    run = _CURRENT.get()
    if run is not None:
        with run.stage(name, note) as timing:
            yield timing
        return
    timing, t0 = StageTiming(name, note=note), time.perf_counter()
    try:
        yield timing
    finally:
        timing.seconds = round(time.perf_counter() - t0, 3)


def current_run() -> RunTimings | None:
    """The run in progress in this context (see `timed_run`), or None."""
    return _CURRENT.get()


def stage_step(name: str) -> None:
    """Start step `name` of the stage in progress, if any: a progress callback that costs nothing."""
    run = _CURRENT.get()
    if run is not None and run._open is not None:
        run._open.step(name)


STAGE_NAMES = {  # stage → (English, Chinese) as the CLI shows it
    "ingest": ("ingest", "导入"), "embed": ("embed", "计算向量"), "topics": ("topic map", "主题图"),
    "names": ("topic names", "主题命名"),
    "signals": ("signals and axes", "信号与双轴"), "forecast": ("forecast", "预测"),
    "directions": ("six directions", "六大方向归属"), "assign": ("assign to the map", "分配到主题图"),
    "catalog": ("catalog edition", "目录"), "render": ("render", "输出文件"), "backtest": ("backtest", "回测"),
    "alerts": ("alert rules", "提醒规则"),
    "walk-forward": ("walk-forward maps, started in a worker", "历年训练主题图（后台进程启动）"),
}
STEP_NAMES = {  # step → Chinese, for steps that are words (a file name stays as it is)
    "checkpoint": "写入检查点", "load": "读取向量", "cluster": "聚类", "fields": "领域", "labels": "命名与关键词",
    "identity": "主题延续", "layout": "布局", "assign": "分配文献", "write": "写入", "done": "完成",
    "topics": "主题", "mapping": "方向映射", "signals": "信号", "landscape": "格局",
    "walk-forward maps from the worker": "等待并保存后台训练的主题图",
}
_STEP_PATTERNS = (  # steps named with a year: (pattern, Chinese)
    (re.compile(r"^forecast: training map (\d+)$"), r"预测：训练 \1 年主题图"),
    (re.compile(r"^topic map (\d+) \(seed (\d+)\)$"), r"\1 年主题图（种子 \2）"),
    (re.compile(r"^forecast (\d+) \(seed (\d+)\)$"), r"\1 年预测（种子 \2）"),
)


def step_label(step: str, zh: bool) -> str:
    """How the CLI names step `step`: as given in English; in Chinese where it is a word or a known pattern."""
    if not zh:
        return step
    if step in STEP_NAMES:
        return STEP_NAMES[step]
    for pattern, chinese in _STEP_PATTERNS:
        if pattern.match(step):
            return pattern.sub(chinese, step)
    return step
UNITS = {  # StageTiming.note → (English, Chinese)
    "records": ("records", "条记录"), "vectors": ("vectors", "个向量"), "documents": ("documents", "篇文献"),
    "topics": ("topics", "个主题"), "entries": ("entries", "条"), "rows": ("rows", "行"), "runs": ("runs", "次"),
    "maps": ("maps", "张主题图"),
}


def _width(text: str) -> int:
    """Terminal columns of `text` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def format_timings(profile: dict, zh: bool = False) -> list[str]:
    """The profile as aligned text lines: one per stage (seconds, share of the run, rows, peak memory) with its
    steps indented below it, then the total — what the CLI prints at the end of a command."""
    lang = 1 if zh else 0
    head = ("步骤", "秒", "占比", "数量", "峰值内存") if zh else ("stage", "seconds", "share", "rows", "peak memory")
    rows = [head]
    for s in profile["stages"]:
        share = f"{s['share'] * 100:.0f}%" if s.get("share") is not None else "–"
        unit = UNITS.get(s.get("note") or "", (s.get("note") or "", s.get("note") or ""))[lang]
        count = "–" if s.get("rows") is None else f"{s['rows']:,}" + (("" if zh else " ") + unit if unit else "")
        name = STAGE_NAMES.get(s["stage"], (s["stage"], s["stage"]))[lang]
        rows.append((name, f"{s['seconds']:.1f}", share, count, f"{s['peak_rss_mib']:,.0f} MiB"))
        for step in s.get("steps") or []:
            if step["seconds"] >= 0.05:
                rows.append((f"  · {step_label(step['step'], zh)}", f"{step['seconds']:.1f}", "", "", ""))
    other = profile["seconds"] - sum(s["seconds"] for s in profile["stages"])
    if other >= 0.05:
        label = "其他（各步骤之外：加载模块、读取）" if zh else "other (outside the stages: imports, reads)"
        rows.append((label, f"{other:.1f}", f"{other / profile['seconds'] * 100:.0f}%", "", ""))
    rows.append(("合计" if zh else "total", f"{profile['seconds']:.1f}", "100%", "", f"{profile['peak_rss_mib']:,.0f} MiB"))
    widths = [max(_width(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(_pad(c, w, right=i in (1, 2, 4)) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in rows]
    command = profile["command"]
    if profile.get("peak_scope") != "stage":
        title = f"{command} 各步骤用时（峰值内存为进程全程）" if zh else f"{command}: time by stage (peak memory: whole process)"
    else:
        title = f"{command} 各步骤用时" if zh else f"{command}: time by stage"
    return [title, *lines]
