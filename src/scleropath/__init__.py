"""ScleroPath: decision support and treatment records for sclerotherapy clinics."""

__version__ = "0.1.0"
