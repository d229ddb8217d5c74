"""One order as an adapter sends it (MODEL.md: sales order and purchase order share one model).

Required: `order_id` (a string: 19-digit ids lose precision as JS numbers). Every other
known field is optional but, when present, has its MODEL.md type: text is a string (a list
or a number is refused), a person is an object whose `address` is an object (an address
sent as one line is split by `helper.payloads.address`), items and packages are arrays of
objects (a package sent as a bare string becomes `{"tracking": "…"}`). Unknown fields are
kept as they came. Whatever passes here can be stored, converted and shown.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .address import split_address
from .fields import Count, IsoTime, Money, OrderId, Short, Text

MAX_ITEMS = 500
MAX_PACKAGES = 100


class Loose(BaseModel):
    """A JSON object whose unknown keys are kept."""

    model_config = ConfigDict(extra="allow")


class Address(Loose):
    province: Short | None = None
    city: Short | None = None
    district: Short | None = None
    detail: Text | None = None


class Person(Loose):
    name: Short | None = None
    phone: Short | None = None
    address: Address | None = None

    @field_validator("address", mode="before")
    @classmethod
    def _one_line(cls, value):
        return split_address(value) if isinstance(value, str) else value


class Item(Loose):
    title: Text | None = None
    sku: Text | None = None
    quantity: Count | None = None
    price: Money | None = None


class Package(Loose):
    courier_text: Short | None = None
    courier: Short | None = None
    tracking: Text | None = None
    number: Text | None = None


class Order(Loose):
    order_id: OrderId
    shop: Short | None = None
    supplier: Short | None = None
    status: Short | None = None
    amount: Short | None = None
    remark: Text | None = None
    url: Text | None = None
    shipped_number: Text | None = None
    created_at: IsoTime | None = None
    ship_by: IsoTime | None = None
    paid_at: IsoTime | None = None
    shipped_at: IsoTime | None = None
    buyer: Person | None = None
    ship_to: Person | None = None
    items: list[Item] | None = Field(default=None, max_length=MAX_ITEMS)
    packages: list[Package] | None = Field(default=None, max_length=MAX_PACKAGES)

    @field_validator("packages", mode="before")
    @classmethod
    def _bare_numbers(cls, value):
        if isinstance(value, list):
            return [{"tracking": p} if isinstance(p, str) else p for p in value]
        return value
