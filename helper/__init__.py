"""Danhao helper: the local service that stores orders and converts tracking numbers."""

__version__ = "0.1.0"
API_VERSION = 1
