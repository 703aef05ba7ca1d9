"""Small helpers shared by the importer tests."""

from __future__ import annotations

from pathlib import Path

CUSTOMERS_DE = (
    "customer_id;name;city;postal_code;customer_since\n"
    "K1;Müller Maschinenbau GmbH;München;80331;01.02.2019\n"
    "K2;Schäfer & Söhne KG;Köln;50667;15.07.2021\n"
    "K3;Weiß Präzision AG;Zürich;8001;31.12.2022\n"
)


def write_text(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
