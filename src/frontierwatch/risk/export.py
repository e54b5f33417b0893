"""Export of the governance register and the audit log for a regulator: JSON, or XLSX with one sheet per part.

Headers are bilingual (中文 / English); the first sheet states when it was exported, the taxonomy version and the
result of the audit chain check, so a reader knows whether the log is whole.
"""
from __future__ import annotations

import io
import json
from datetime import datetime


def export_governance(data: dict, fmt: str) -> bytes:
    """`data` = ``{"register", "audit_log", "chain"}`` (from `Governance.export`) as JSON or XLSX bytes."""
    data = {"exported": datetime.now().isoformat(timespec="seconds"), **data}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return _xlsx(data)


def _xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    reg, chain = data["register"], data["chain"]
    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
    rows = [("导出时间 / Exported", data["exported"]),
            ("风险分类 / Risk taxonomy", f"{reg['taxonomy']['file']} v{reg['taxonomy']['version']} ({reg['taxonomy']['date']})"),
            ("审计日志行数 / Audit rows", chain["rows"]),
            ("审计链校验 / Audit chain check", "完整 / intact" if chain["ok"] else f"断裂于 / broken at {chain['first_broken']}"),
            ("链前旧记录 / Rows before the chain", chain["legacy_rows"])]
    for row in rows:
        ws.append(list(row))

    def sheet(name: str, header: list[str], body: list[list]) -> None:
        s = wb.create_sheet(name)
        s.append(header)
        for cell in s[1]:
            cell.font = Font(bold=True)
        for r in body:
            s.append(["" if v is None else v if isinstance(v, (int, float)) else str(v) for v in r])

    sheet("policies", ["编号 / Id", "标题 / Title (zh)", "Title (en)", "内容 / Text (zh)", "Text (en)"],
          [[p["id"], p["title"]["zh"], p["title"]["en"], p["body"]["zh"], p["body"]["en"]] for p in reg["policies"]])
    sheet("red_lines", ["类别 / Category", "名称 / Name (zh)", "Name (en)", "红线词 / Terms (zh)", "Terms (en)"],
          [[r["category"], r["name"]["zh"], r["name"]["en"], "；".join(r["terms"]["zh"]), "; ".join(r["terms"]["en"])]
           for r in reg["red_lines"]])
    scale = reg["scale"]
    sheet("scale", ["维度 / Axis", "级别 / Level", "含义 / Meaning (zh)", "Meaning (en)"],
          [[axis, s["level"], s["zh"], s["en"]] for axis in ("severity", "likelihood") for s in scale[axis]]
          + [["level", f"{b['level']} ({b['min']}–{b['max']})", b["zh"], b["en"]] for b in scale["levels"]])
    sheet("entries", ["编号 / Id", "类型 / Kind", "标题 / Title (zh)", "Title (en)", "内容 / Text (zh)", "Text (en)",
                      "理由 / Reason", "对象 / Target", "决定人 / Decided by", "时间 / Date", "取代 / Supersedes"],
          [[e["entry_id"], e["kind"], e["title"]["zh"], e["title"]["en"], e["body"]["zh"], e["body"]["en"], e["reason"],
            f"{e['target_kind']}:{e['target_id']}" if e["target_kind"] else "", e.get("decider"), e["decided"],
            e["supersedes"]] for e in reg["entries"]])
    sheet("assessments", ["编号 / Id", "对象 / Target", "类别 / Category", "严重度 / Severity", "可能性 / Likelihood",
                          "风险值 / Score", "等级 / Level", "状态 / Status", "理由 / Rationale", "证据 / Evidence",
                          "缓解 / Mitigation", "评审人 / Reviewer", "时间 / Date", "取代 / Supersedes"],
          [[a["assessment_id"], f"{a['target_kind']}:{a['target_id']}", a["category"], a["severity"], a["likelihood"],
            a["level"]["score"], a["level"]["level"], a["status"], a["rationale"], " ".join(a["evidence"]),
            a["mitigation"], a.get("reviewer"), a["created"], a["supersedes"]] for a in reg["decisions"]])
    sheet("audit_log", ["序号 / Seq", "时间 / Time", "操作人编号 / Actor id", "操作 / Action", "对象类型 / Target kind",
                        "对象 / Target", "详情 / Detail", "哈希 / Hash"],
          [[r["seq"], r["at"], r["actor_id"], r["action"], r["target_kind"], r["target_id"], r["detail"], r["hash"]]
           for r in data["audit_log"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
