"""The risk stage (鉴别-评估-防御-治理): identify, assess, defend, govern.

* Identify: a versioned, replaceable taxonomy (`load_risk_taxonomy`) whose terms, context rules and red lines
  flag topics (`flag_topic`) and screen submitted text (`screen_text`; the hall screens every submission).
* Assess: `AssessmentIn` on the published `SCALE`, recorded through `Governance.assess` (history kept).
* Govern: `Governance.register`, the append-only `audit` log, and `Governance.export` (JSON / XLSX).

Tables (migration 0020): ``risk_assessments``, ``governance_register``, ``audit_log`` (read and written in
`frontierwatch.risk.queries` and `frontierwatch.risk.audit`), and ``hall_screenings`` (written by the hall).
"""
from frontierwatch.risk.assessments import SCALE, STATUSES, TARGET_KINDS, AssessmentIn, risk_level
from frontierwatch.risk.flags import FlagParams, document_evidence, flag_topic, screen_text
from frontierwatch.risk.governance import Governance, RegisterEntryIn
from frontierwatch.risk.taxonomy import RiskCategory, RiskTaxonomy, load_risk_taxonomy, parse_taxonomy

__all__ = ["AssessmentIn", "FlagParams", "Governance", "RegisterEntryIn", "RiskCategory", "RiskTaxonomy", "SCALE",
           "STATUSES", "TARGET_KINDS", "document_evidence", "flag_topic", "load_risk_taxonomy", "parse_taxonomy",
           "risk_level", "screen_text"]
