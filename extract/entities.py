"""STUB (to be replaced by the extraction helper): span groups -> entity records."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc


def entity_records(doc: Doc, group: str) -> list[dict[str, Any]]:
    return []
