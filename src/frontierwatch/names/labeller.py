"""Optional LLM labeller: names from any OpenAI-compatible chat-completions endpoint, cached in the store.

Off by default (the offline names need no network). With ``--labeller openai`` (setting ``labeller``), the base URL
and model come from the settings (``labeller_base_url``, ``labeller_model``) and the key only from the environment
(``FRONTIERWATCH_LABELLER_API_KEY``). Each topic's prompt — its keyphrases, central titles and the offline name — is
sent once: the answer is stored in ``labeller_cache`` under the sha256 of model + prompt, so building, re-building
or re-rendering an edition asks nothing twice and never changes a name already given. An answer that is not
``{"en": "...", "zh": "..."}`` with a short English noun phrase and a Chinese name is refused and the offline name kept
(the row says so); an unreachable endpoint stops the build with a bilingual error naming the URL.

Protocol: ``POST {base_url}/chat/completions`` with ``{"model", "temperature": 0, "messages": [system, user]}`` and
``Authorization: Bearer <key>``; the reply's ``choices[0].message.content`` holds the JSON.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import urllib.error
import urllib.request

from frontierwatch.errors import InputError
from frontierwatch.names.chinese import CJK

log = logging.getLogger(__name__)

SYSTEM = ("You name technology topics for a Chinese frontier-technology catalog read by ministry analysts. "
          "Reply with JSON only: {\"en\": \"...\", \"zh\": \"...\"} — a short noun phrase a person would write "
          "(at most 8 English words; at most 16 Chinese characters, standard Chinese technical terms), "
          "not a list of keywords.")
ENV_KEY = "FRONTIERWATCH_LABELLER_API_KEY"


def prompt_for(keyphrases: list[str], titles: list[str], offline: dict) -> str:
    """The user message for one topic (deterministic: it is the cache key with the model)."""
    lines = ["Keyphrases: " + "; ".join(keyphrases[:10]), "Central documents:"]
    lines += [f"- {t}" for t in titles[:5]]
    lines.append(f"Offline suggestion: {offline.get('en')} / {offline.get('zh') or '—'}")
    return "\n".join(lines)


def valid_answer(content: str) -> dict | None:
    """``{"en", "zh"}`` from an answer, or None when it is not a usable short name in both languages."""
    match = re.search(r"\{.*\}", content or "", re.S)
    try:
        data = json.loads(match.group(0)) if match else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    en, zh = str(data.get("en") or "").strip(), str(data.get("zh") or "").strip()
    if not en or not zh or CJK.search(en) or not CJK.search(zh) or len(en.split()) > 10 or len(zh) > 24:
        return None
    if en.count(",") + en.count("·") >= 2:
        return None   # a keyword list, not a name
    return {"en": en[:1].upper() + en[1:], "zh": zh}


class OpenAILabeller:
    """Names topics through an OpenAI-compatible endpoint, with the store's ``labeller_cache`` in front of it."""

    def __init__(self, base_url: str, model: str, api_key: str | None, cache, timeout: float = 60.0):
        if not base_url or not model:
            raise InputError("the openai labeller needs labeller_base_url and labeller_model in the settings "
                             "(FRONTIERWATCH_LABELLER_BASE_URL, FRONTIERWATCH_LABELLER_MODEL)",
                             "openai 命名器需要在设置中提供 labeller_base_url 与 labeller_model"
                             "（FRONTIERWATCH_LABELLER_BASE_URL、FRONTIERWATCH_LABELLER_MODEL）")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.api_key, self.cache, self.timeout = model, api_key, cache, timeout
        self.name = f"openai:{model}"
        self.asked = 0          # requests sent (cache misses), for the build's log and the tests

    def key(self, prompt: str) -> str:
        return hashlib.sha256(f"{self.model}\n{prompt}".encode("utf-8")).hexdigest()

    def label(self, prompt: str) -> dict | None:
        """The cached or fresh answer for `prompt`, validated; None when the answer is not a usable name."""
        key = self.key(prompt)
        content = self.cache.get(key)
        if content is None:
            content = self._ask(prompt)
            self.cache.put(key, self.model, prompt, content)
        return valid_answer(content)

    def _ask(self, prompt: str) -> str:
        body = json.dumps({"model": self.model, "temperature": 0,
                           "messages": [{"role": "system", "content": SYSTEM},
                                        {"role": "user", "content": prompt}]}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        self.asked += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.loads(response.read().decode("utf-8"))
            return str(reply["choices"][0]["message"]["content"])
        except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise InputError(f"labeller endpoint {self.url} did not answer usably: {exc}; check "
                             f"labeller_base_url and {ENV_KEY}, or build without --labeller",
                             f"命名器接口 {self.url} 未返回可用结果：{exc}；请检查 labeller_base_url 与 {ENV_KEY}，"
                             f"或不带 --labeller 重新构建") from None
