"""Measured clearance from clinical photographs: pure image computation, no Django."""

from .measure import Measurement, measure_clearance

__all__ = ["Measurement", "measure_clearance"]
