"""Assessments (评估): a reviewer's severity × likelihood judgement of a topic, a catalog entry or a hall item.

The scale is published (`SCALE`, shown on the governance page and in every export): severity and likelihood
1–5 with a meaning for each level, and the risk level their product falls in (low 1–4, medium 5–9, high 10–16,
critical 20–25). An assessment carries the rationale, evidence links, mitigation, the reviewer and the date, and
a status — open, assessed, mitigated, accepted, escalated. History is kept: a new assessment of the same target
never changes the old one, it *supersedes* it (``supersedes`` points back), so the register shows the whole trail.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

TARGET_KINDS = ("topic", "hall_item", "entry")
STATUSES = ("open", "assessed", "mitigated", "accepted", "escalated")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SCALE = {
    "severity": [
        {"level": 1, "zh": "轻微：影响个别人且可完全恢复", "en": "Negligible: affects a few people, fully recoverable"},
        {"level": 2, "zh": "较小：影响有限，可在短期内纠正", "en": "Minor: limited harm, corrected in the short term"},
        {"level": 3, "zh": "中等：对群体或机构造成明显损害", "en": "Moderate: clear harm to a group or an organisation"},
        {"level": 4, "zh": "重大：大范围或难以逆转的损害", "en": "Major: widespread or hard-to-reverse harm"},
        {"level": 5, "zh": "严重：危及生命、国家安全或不可逆的社会损害",
         "en": "Severe: threatens lives, national security, or causes irreversible societal harm"},
    ],
    "likelihood": [
        {"level": 1, "zh": "罕见：五年内几乎不会发生", "en": "Rare: hardly conceivable within five years"},
        {"level": 2, "zh": "不太可能：需要罕见条件或专门意图", "en": "Unlikely: needs rare conditions or dedicated intent"},
        {"level": 3, "zh": "可能：已有先例或公开可得的手段", "en": "Possible: precedents exist or the means are public"},
        {"level": 4, "zh": "很可能：手段成熟，动机常见", "en": "Likely: mature means, common motives"},
        {"level": 5, "zh": "几乎确定：正在发生或一经发布即会发生",
         "en": "Almost certain: happening now, or will on release"},
    ],
    "levels": [
        {"level": "low", "min": 1, "max": 4, "zh": "低", "en": "Low"},
        {"level": "medium", "min": 5, "max": 9, "zh": "中", "en": "Medium"},
        {"level": "high", "min": 10, "max": 16, "zh": "高", "en": "High"},
        {"level": "critical", "min": 17, "max": 25, "zh": "极高", "en": "Critical"},
    ],
    "statuses": [
        {"status": "open", "zh": "待评估：风险已登记，尚未得出结论", "en": "Open: recorded, not yet concluded"},
        {"status": "assessed", "zh": "已评估：已给出严重度与可能性", "en": "Assessed: severity and likelihood judged"},
        {"status": "mitigated", "zh": "已缓解：已采取措施降低风险", "en": "Mitigated: measures taken to reduce the risk"},
        {"status": "accepted", "zh": "已接受：残余风险经审议后接受", "en": "Accepted: residual risk accepted after review"},
        {"status": "escalated", "zh": "已上报：提交上级或伦理委员会决定（期间不得发布）",
         "en": "Escalated: referred to a higher body or ethics committee (no release meanwhile)"},
    ],
}


def risk_level(severity: int, likelihood: int) -> dict:
    """The published level of ``severity × likelihood``: ``{"score", "level", "zh", "en"}``."""
    score = int(severity) * int(likelihood)
    band = next(b for b in SCALE["levels"] if b["min"] <= score <= b["max"])
    return {"score": score, "level": band["level"], "zh": band["zh"], "en": band["en"]}


def clean_text(text: str) -> str:
    return _CONTROL.sub("", text).strip()


def _http_url(url: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://[^\s<>\"']{1,490}$", url, flags=re.I):
        raise ValueError("evidence links must be http:// or https:// URLs without spaces or quotes")
    return url


TargetId = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:/\-]+$")]
Rationale = Annotated[str, StringConstraints(min_length=10, max_length=4000), AfterValidator(clean_text)]
Url = Annotated[str, StringConstraints(max_length=500), AfterValidator(_http_url)]
CategoryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{2,60}$")]


class AssessmentIn(BaseModel):
    """One assessment, as a governance reviewer records it (``POST /api/v1/assessments``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    target_kind: Literal[TARGET_KINDS] = Field(description="topic | hall_item | entry")
    target_id: TargetId = Field(description="Topic id (T00042), hall item id (12) or catalog entry (2019H2/T00042)")
    severity: int = Field(ge=1, le=5, description="Severity 1–5 (published scale) / 严重程度")
    likelihood: int = Field(ge=1, le=5, description="Likelihood 1–5 (published scale) / 可能性")
    rationale: Rationale = Field(description="Why this judgement / 评估理由")
    status: Literal[STATUSES] = Field(description="open | assessed | mitigated | accepted | escalated")
    category: CategoryId | None = Field(None, description="Risk taxonomy category id (omit: the target as a whole)")
    evidence: list[Url] = Field(default_factory=list, max_length=10, description="Evidence links (http/https)")
    mitigation: Annotated[str, StringConstraints(max_length=2000), AfterValidator(clean_text)] = Field(
        "", description="Measures taken or required / 缓解措施")
