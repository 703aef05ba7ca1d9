"""Same arguments, same bytes; chunked generation equals in-memory generation."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from kundenwert.demo import generate, generate_to, generator, write
from kundenwert.errors import InputError


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_gives_identical_files(tmp_path: Path, fmt: str) -> None:
    a = write(generate(customers=300, seed=11), tmp_path / "a", format=fmt)
    b = write(generate(customers=300, seed=11), tmp_path / "b", format=fmt)
    assert len(a) == 9 and {p.name for p in a.values()} == {p.name for p in b.values()}
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    write(generate(customers=300, seed=11), tmp_path / "a")
    write(generate(customers=300, seed=12), tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert all(a[name] != b[name] for name in a)


def test_end_date_moves_the_history() -> None:
    company = generate(customers=200, years=2, end_date=date(2020, 3, 15))
    dates = company.invoices["date"].to_pylist()
    assert min(dates) >= date(2018, 4, 1)
    assert max(dates) <= date(2020, 3, 15)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_chunked_generation_matches_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr(generator, "BLOCK_SIZE", 400)  # several blocks for 1000 customers
    calls: list[tuple[int, int]] = []
    paths = generate_to(
        tmp_path / "chunked", customers=1000, seed=3, format=fmt,
        progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    assert calls == [(400, 1000), (800, 1000), (1000, 1000)]
    assert set(paths) == {"customers", "contacts", "invoices", "installed_base", "activities",
                          "ratings", "surveys", "survey_dimensions", "ground_truth"}  # fmt: skip
    company = generate(customers=1000, seed=3)
    assert company.invoices.num_rows > 0
    if fmt == "csv":  # Parquet row groups follow the blocks, so only CSV is byte-equal
        write(company, tmp_path / "memory", format=fmt)
        assert _digests(tmp_path / "chunked") == _digests(tmp_path / "memory")
    # IDs stay unique across blocks.
    first_lines = company.invoices["line_no"].to_numpy() == 1
    assert len(set(company.invoices["invoice_id"].to_pylist())) == first_lines.sum()
    assert len(set(company.activities["activity_id"].to_pylist())) == company.activities.num_rows
    assert len(set(company.installed_base["machine_id"].to_pylist())) == (
        company.installed_base.num_rows
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"customers": 0}, "Kunden"), ({"years": 0}, "Jahre"), ({"seed": -1}, "Seed")],
)
def test_bad_arguments_raise_input_error(kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(InputError, match=match):
        generate(**kwargs)


def test_unknown_format_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Format"):
        write(generate(customers=10), tmp_path, format="xlsx")  # type: ignore[arg-type]
