"""Pick the courier option of a live shipping form.

The adapter sends the labels the form offers; we must pick the one that *is* the courier,
never the closest-looking one: 中通快运 is a different company from 中通快递, 顺丰国际 from
顺丰速运, 京东酒世界 is not 京东, 德邦快运 is not 德邦快递. Every label is first resolved to one
courier (or to "unknown") through the same alias data the engine uses
(:func:`helper.couriers.resolve_label`: platform reading, exact alias, then decorations such
as ``(常用)`` stripped); a label that merely contains a courier's short name resolves to
nothing. Then:

1. the labels that resolve to exactly the shipment's courier: one → it (``via="label"``);
   several → the one that is the courier's Chinese name as it stands, else the one that is
   that name once decorations are stripped; still several → ``courier_option_ambiguous``
   with the labels (never a guess);
2. none → the same for the successor (百世 → 极兔, ``via="successor"``);
3. none → ``courier_not_offered``.

Shapes: ``match_option(courier_id, options, platform) -> OptionMatch(option, reason, via,
courier, labels)``; ``reason`` is None, ``unknown_courier``, ``courier_not_offered`` or
``courier_option_ambiguous``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from helper import couriers


@dataclass(frozen=True)
class OptionMatch:
    option: str | None
    reason: str | None
    via: str                 # label | successor | none
    courier: str | None = None   # the courier the option stands for (the successor when via == successor)
    labels: tuple[str, ...] = field(default=())   # the candidate labels when ambiguous


def _labels_for(courier_id: str, options: list[str], platform: str | None) -> list[str]:
    seen: dict[str, None] = {}
    for opt in options:
        if isinstance(opt, str) and opt.strip() and opt not in seen \
                and couriers.resolve_label(opt, platform) == courier_id:
            seen[opt] = None
    return list(seen)


def _pick(courier_id: str, labels: list[str]) -> str | None:
    if len(labels) == 1:
        return labels[0]
    name = couriers.fold(couriers.get(courier_id).name_zh)
    for key in (couriers.fold, lambda o: couriers.fold(couriers.strip_decorations(o))):
        hits = [o for o in labels if key(o) == name]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
    return None


def match_option(courier_id: str, options: list[str], platform: str | None) -> OptionMatch:
    """The option among ``options`` that stands for ``courier_id`` on ``platform``."""
    if not couriers.exists(courier_id):
        return OptionMatch(None, "unknown_courier", "none")
    options = options or []
    targets = [(courier_id, "label")]
    succ = couriers.get(courier_id).successor
    if succ:
        targets.append((succ, "successor"))
    for cid, via in targets:
        labels = _labels_for(cid, options, platform)
        if not labels:
            continue
        picked = _pick(cid, labels)
        if picked is None:
            return OptionMatch(None, "courier_option_ambiguous", "none", cid, tuple(labels))
        return OptionMatch(picked, None, via, cid)
    return OptionMatch(None, "courier_not_offered", "none")


__all__ = ["OptionMatch", "match_option"]
