"""The erasure's search pattern: any text is found literally, as a whole word, by DuckDB's
RE2 and by Python alike (the database and the report files must agree)."""

from __future__ import annotations

import duckdb
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kundenwert.contacts.erase import _KEEP, ERASED, _pattern, _replace_sql, python_pattern

# Names, phones, e-mails and ids: letters (umlauts too), digits, the punctuation they use.
TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" .+-@()_/'&*?[]{}|^$\\"
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s)

CON = duckdb.connect()


@settings(max_examples=150, deadline=None)
@given(secret=TEXT, before=st.sampled_from(["", "mit ", "(", "Herr "]),
       after=st.sampled_from(["", " besprochen", ")", ", danach"]))  # fmt: skip
def test_a_value_is_found_and_replaced_wherever_it_stands_alone(secret, before, after):
    # A secret that also stands in the surrounding text (")" after ")") is erased there too,
    # rightly: the expected text below assumes it occurs only where it was put.
    assume(secret.casefold() not in f"{before}{after}".casefold())
    text = f"{before}{secret}{after}"
    assert python_pattern([secret]).search(text.upper() if secret.isascii() else text)
    replaced = CON.execute(
        f"SELECT {_replace_sql('$text')}",
        {"text": f"{text} {text}", "pattern": _pattern([secret]), "keep": _KEEP},
    )
    assert replaced.fetchone()[0] == f"{before}{ERASED}{after} {before}{ERASED}{after}"


@settings(max_examples=100, deadline=None)
@given(word=st.from_regex(r"[A-Za-z]{1,3}[0-9]{1,4}", fullmatch=True), digit=st.integers(0, 9))
def test_an_id_does_not_match_inside_a_longer_id(word, digit):
    longer = f"{word}{digit}"
    assert not python_pattern([word]).search(f"Los {longer} geliefert")
    assert python_pattern([word]).search(f"Los {word} geliefert")
    found = CON.execute("SELECT regexp_matches(?, ?, 'i')", [f"Los {longer}", _pattern([word])])
    assert found.fetchone()[0] is False
