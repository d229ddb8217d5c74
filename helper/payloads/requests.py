"""Request bodies of the write routes other than the order batches' orders (MODEL.md).

- `Batch`: `{"site", "page_url"?, "orders": [anything…]}` (≤ 1000, checked by the caller); each order is checked by
  itself afterwards (`helper.validation.orders_batch`).
- `Convert`: `{"site", "order_ids": [id…], "options"?: [label…]}`.
- `FillResults`: `{"site", "results": [{"shipment_id"?, "order_id", "result", "submitted"?,
  "reason"?}…]}`; a `failed` result needs a `reason`.
- `Link`: `{"sales_site", "sales_order_id", "purchase_site", "purchase_order_id"}`.
Sites are checked against the adapter lists by the caller (`unknown_site`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from .fields import OrderId, Short, Text
from .orders import Loose

MAX_ORDERS_PER_BATCH = 1000


class Batch(Loose):
    site: Short
    page_url: Text | None = None
    orders: list[Any]            # length checked by the caller: 400 too_many_orders


class Convert(Loose):
    site: Short
    order_ids: list[OrderId] = Field(max_length=1000)
    options: list[Short] | None = Field(default=None, max_length=2000)


class FillResult(Loose):
    order_id: Short = Field(min_length=1)
    result: Literal["filled", "failed", "skipped"]
    shipment_id: Short | None = None
    submitted: StrictBool = False
    reason: Text | None = None
    submitted_by: Short | None = None
    number: Short | None = None
    option: Short | None = None

    @model_validator(mode="after")
    def _failed_has_reason(self):
        if self.result == "failed" and not self.reason:
            raise ValueError("失败需要原因 reason / a failed result needs a reason")
        return self


class FillResults(Loose):
    site: Short
    results: list[FillResult] = Field(min_length=1, max_length=1000)


class Link(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sales_site: Short
    sales_order_id: OrderId
    purchase_site: Short
    purchase_order_id: OrderId
