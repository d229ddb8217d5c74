"""The conversion engine: normalize → identify → validate → map → checks. Pure Python.

No database, no Flask: the helper's routes and the ``danhao detect`` command call these
functions with plain data, so both get exactly the same answers.
"""
from helper.convert.address import compare_addresses
from helper.convert.checks import check, status_of
from helper.convert.identify import Candidate, Detection, detect
from helper.convert.normalize import FieldResult, Parsed, normalize_field, normalize_number
from helper.convert.options import OptionMatch, match_option
from helper.convert.shipments import build_shipments
from helper.convert.validate import is_valid_for

__all__ = [
    "normalize_field", "normalize_number", "FieldResult", "Parsed",
    "detect", "Detection", "Candidate",
    "is_valid_for",
    "match_option", "OptionMatch",
    "compare_addresses",
    "build_shipments",
    "check", "status_of",
]
