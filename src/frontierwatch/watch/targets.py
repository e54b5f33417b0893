"""What a watch may point at: a topic of the latest map, one of the six directions, or any search text."""
from __future__ import annotations

from frontierwatch.errors import InputError, NotFoundError


def check_target(obs, kind: str, target: str) -> None:
    """Raise a bilingual error when a topic or direction watch names something the observatory does not have.

    A topic must be in the latest topic map (ids persist across maps, so a watched topic keeps its id when the
    map is rebuilt or updated); a direction must be a taxonomy direction id (``manufacturing``, ``information``
    …). Queries are free text and checked only for length (`frontierwatch.watch.watchlists.check_watch`)."""
    if kind == "direction":
        ids = [d["id"] for d in obs.directions()]
        if target not in ids:
            raise InputError(f"direction {target!r} is not one of {', '.join(ids)}",
                             f"方向 {target!r} 不在 {', '.join(ids)} 之中")
    elif kind == "topic":
        try:
            known = {t["id"] for t in obs.topics()["topics"]}
        except NotFoundError:
            raise NotFoundError(f"there is no topic map yet, so topic {target!r} cannot be watched; run "
                                "frontierwatch build first",
                                f"尚无主题图，无法关注主题 {target!r}；请先运行 frontierwatch build") from None
        if target not in known:
            raise NotFoundError(f"topic {target!r} is not in the latest topic map; see frontierwatch topics",
                                f"最新主题图中没有主题 {target!r}；请查看 frontierwatch topics")
