"""The clinical engine: protocol data, its loader and the functions that answer from it.

Pure Python with no Django import, so the CLI, the web app, the API and the FHIR export all call
the same code. Start with :class:`Engine`.
"""

from .engine import Engine
from .inputs import InputError
from .loader import ProtocolError, load_clinic_protocol, load_protocol
from .model import Protocol

__all__ = ["Engine", "InputError", "Protocol", "ProtocolError", "load_clinic_protocol", "load_protocol"]
