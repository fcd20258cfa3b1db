"""Readers that turn files, JSON Lines and news APIs into `Document` values."""

from kg.sources.document import Document

__all__ = ["Document"]
