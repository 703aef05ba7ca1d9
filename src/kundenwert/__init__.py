"""kundenwert: customer value management for B2B companies."""

__version__ = "0.1.0"
