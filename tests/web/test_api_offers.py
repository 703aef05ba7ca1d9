"""The API offers what the CLI offers: trajectories, phases, surveys, changes, commitments."""

from __future__ import annotations

from datetime import date

from kundenwert.review.export import customer_commitment


def _dynamics_ready(app) -> None:
    kw = app.state.kw
    if kw.dynamics_result(1) is None:
        kw.dynamics.wait(kw._dynamics_key(1))
    assert kw.dynamics_result(1) is not None, kw.dynamics.errors


def test_trajectories_and_phases_are_scoped(api, app):
    _dynamics_ready(app)
    everyone = api("chef").get("/api/v1/trajectories").json()
    assert everyone["available"] is True
    assert {r["customer_id"] for r in everyone["items"]} == {f"K{i}" for i in range(1, 7)}
    assert {"trajectory", "confidence", "phase", "evidence"} <= set(everyone["items"][0])
    own = api("anna").get("/api/v1/trajectories").json()["items"]
    assert {r["customer_id"] for r in own} == {"K1", "K2", "K3"}
    phase = own[0]["phase"]
    only = api("anna").get(f"/api/v1/trajectories?phase={phase}").json()["items"]
    assert only and all(r["phase"] == phase for r in only)
    counts = api("anna").get("/api/v1/phases").json()
    assert sum(counts["phases"].values()) == 3
    assert counts["phases"] == {
        p: sum(1 for r in own if r["phase"] == p) for p in {r["phase"] for r in own}
    }


def test_surveys_of_a_visible_customer_only(api, web_store):
    web_store.con.execute(
        "INSERT INTO surveys (customer_id, date, satisfaction, recommend, batch_id) "
        "VALUES ('K1', DATE '2026-01-10', 7, 8, 0), ('K1', DATE '2026-05-10', 9, 9, 0)"
    )
    answers = api("anna").get("/api/v1/customers/K1/surveys").json()["items"]
    assert [a["satisfaction"] for a in answers] == [7, 9]
    assert answers[1]["satisfaction_change"] == 2
    assert api("anna").get("/api/v1/customers/K4/surveys").status_code == 404


def test_commitment_as_the_cli_writes_it(api, web_store):
    body = api("anna").get("/api/v1/customers/K1/commitment?lang=en").json()
    assert body["text"] == customer_commitment(web_store, "K1", None, "en", today=date.today())
    assert api("anna").get("/api/v1/customers/K4/commitment").status_code == 404
