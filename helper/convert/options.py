"""Pick the courier option of a live shipping form.

The adapter sends the labels the form offers; we must pick the one that *is* the courier,
never the closest-looking one: 中通快运 is a different company from 中通快递, 顺丰快运 from
顺丰速运, 德邦物流 from 德邦快递. Order of preference:

1. ``exact``: a label equal to one of the courier's names/aliases (after NFKC / space folding),
   or the platform's own reading of an ambiguous label (WeChat: 中国邮政 = EMS);
2. ``label``: a decorated label ("中通快递(ZTO)") whose longest alias names this courier (or
   only it and its predecessor/successor: "极兔速递(原百世快递)");
3. ``successor``: the same two steps for the successor (百世 → 极兔) when the form has no
   entry for the courier itself;
4. nothing: ``option=None, reason="courier_not_offered"``; never a guess.
"""
from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass

from helper import couriers


@dataclass(frozen=True)
class OptionMatch:
    option: str | None
    reason: str | None
    via: str                 # exact | label | successor | platform | none
    courier: str | None = None   # the courier the option stands for (the successor when via == successor)


def _related(courier_id: str) -> set[str]:
    """The courier plus its successor and predecessors (百世 ↔ 极兔)."""
    c = couriers.get(courier_id)
    related = {courier_id}
    if c.successor:
        related.add(c.successor)
    related.update(o.id for o in couriers.all_couriers() if o.successor == courier_id)
    return related


# A form offers the same few dozen labels for every order of a page: fold each label once.
_fold = lru_cache(maxsize=4096)(couriers.fold)
_alias_owners = lru_cache(maxsize=4096)(couriers.alias_owners)


def _find(courier_id: str, options: list[str], platform: str | None) -> tuple[str | None, str]:
    c = couriers.get(courier_id)
    aliases = set(c.aliases)
    folded = [(opt, _fold(opt)) for opt in options if isinstance(opt, str) and opt.strip()]
    # 1. exact alias (not one shared on purpose, like 中国邮政); the Chinese name first
    exact = [opt for opt, f in folded if f in aliases and len(_alias_owners(f)) == 1]
    if exact:
        name = _fold(c.name_zh)
        exact.sort(key=lambda o: _fold(o) != name)
        return exact[0], "exact"
    if platform:
        for opt, _ in folded:
            if couriers.platform_alias(platform, opt) == courier_id:
                return opt, "platform"
    # 2. decorated label resolved through the longest alias
    related = _related(courier_id)
    for opt, _ in folded:
        ids = {x.id for x in couriers.by_alias(opt)}
        if courier_id in ids and ids <= related:
            return opt, "label"
    return None, "none"


def match_option(courier_id: str, options: list[str], platform: str | None) -> OptionMatch:
    """The option among ``options`` that stands for ``courier_id`` on ``platform``."""
    if not couriers.exists(courier_id):
        return OptionMatch(None, "unknown_courier", "none")
    opt, via = _find(courier_id, options or [], platform)
    if opt is not None:
        return OptionMatch(opt, None, via, courier_id)
    succ = couriers.get(courier_id).successor
    if succ:
        opt, _ = _find(succ, options or [], platform)
        if opt is not None:
            return OptionMatch(opt, None, "successor", succ)
    return OptionMatch(None, "courier_not_offered", "none")


__all__ = ["OptionMatch", "match_option"]
