"""The true ceiling of the trajectory types: a Bayes classifier that knows the generator.

benchmarks/learned_ceiling.py learns from fresh companies of the same generator and turned out
to be right less often than the product, so it bounds nothing. This oracle is told each
generator's own curve families, their parameter ranges and prior weights, and its noise laws
(it reads the generator's code, in effect); it does not know the customer's own parameters.
Per customer it computes the marginal likelihood of its observed monthly orders and order
values under every curve of a grid over each family's parameters, weighted by the generator's
priors, and returns the posterior over the six types (Bayes' rule). Where it errs, the data of
that customer do not show the type: up to the approximations named below (calibration checks
them), no classifier can do better on average.

The demo company (kundenwert.demo): per customer the number of invoices per month, its machine
sales per month (a separate, rare Poisson process) and the value of its lines relative to the
product's list price (lines of at least 140 EUR list price, which seldom hit the generator's
5 EUR floor). Invoices come from a renewal process with rate k x size x shape^(1 - channel):
taken as Poisson, the customer's size integrated out in closed form against a Gamma prior
fitted to the generator's log-normal size (Gamma-Poisson); machine sales likewise in size^0.7.
Log line values are normal around mu + delta + channel x log shape with the generator's line
noise (mean -0.25, sd 0.75; the sd estimated from the true steady customers' lines, 0.74, checks
it) and its monthly noise on the shape (sd 0.2); the customer's level delta (0.1 log size, and
log 0.08 for Klette: the generator's Klette rule, small orders) is normal and integrated out in
closed form. The generator's global rate constants (k, and the machines' mean size^0.7) are
taken from a replay of its random stream; no customer's own parameters are. Families: steady,
cyclical (12/18/24 months, phase), bell (rise, peak, fall), growth and shrinking (factor), each
with the generator's lifecycle where it has one
(new, lost, won back, on a two-month grid), and Klette; channel 0, 0.5 or 1.

The independent generator (tests/dynamics/value_world.py): orders per month negative binomial
(shape 2) around orders x curve^(1 - channel) on a grid of the orders rate; order values
log-normal around size x curve^channel with a per-customer spread on a grid, the size
integrated out in closed form; logistic growth and decline, gamma bell, sine cycles of 12 or 24
months, steady with its AR(1) wobble (as monthly noise), Klette with its small sizes, frequent
orders and heavy free service (the generator's Klette rule: margin III at or below zero).

Benchmark code, not part of the product. ``bench_dynamics_accuracy.py --oracle`` runs it on the
benchmark's customers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.optimize import brentq
from scipy.special import digamma, gammaln, logsumexp, polygamma

TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "klette")
TARGET_ACCURACY = 0.9
TARGET_TYPE_RIGHT = 0.8  # issue 13: per true type, the share of its typed customers right
FLOOR = -30.0  # log intensity of a month in which the curve does not buy at all
CHUNK = 100  # customers per block of the likelihood matrices


@dataclass
class Family:
    """A grid over one family's parameters: curves (rows) over months, with prior weights."""

    shape: np.ndarray  # (curves, months) expected intensity, 0 where the customer does not buy
    weight: np.ndarray  # (curves,) prior probability within the family, sums to 1


# ---------------------------------------------------------------------------------------------
# Shared pieces


def gamma_fit_lognormal(mu: float, sigma: float) -> tuple[float, float]:
    """Gamma(shape a, rate b) with the same mean and variance of the log as LogNormal(mu,
    sigma): log-normal sizes with a heavy spread are matched in the bulk, not in the tail."""
    a = brentq(lambda x: float(polygamma(1, x)) - sigma**2, 1e-3, 1e4)
    return a, float(np.exp(digamma(a) - mu))


def gamma_poisson_loglik(
    counts: np.ndarray, logf: np.ndarray, fsum: np.ndarray, rate, a0: float, b0: float
) -> np.ndarray:
    """log of the integral over s of prod_m Pois(n_m | s rate f_m) Gamma(s | a0, b0) ds
    (customers x curves): ``counts`` (customers x months), ``logf`` (curves x months, log f_m,
    a large negative number where f_m = 0), ``fsum`` (curves,) the sum of f_m, ``rate`` a
    constant or one per customer (customers x 1)."""
    total = counts.sum(1)[:, None]
    const = (
        a0 * np.log(b0)
        - gammaln(a0)
        + gammaln(a0 + total)
        + total * np.log(rate)
        - gammaln(counts + 1).sum(1)[:, None]
    )
    return counts @ logf.T - (a0 + total) * np.log(b0 + rate * fsum[None, :]) + const


def gaussian_level_loglik(
    w: np.ndarray,
    wy: np.ndarray,
    wyy: np.ndarray,
    lv: np.ndarray,
    c: float,
    tau: float,
    logdet: np.ndarray,
) -> np.ndarray:
    """Log likelihood (customers x curves) of monthly mean log values ybar_m ~ N(a + c lv_m,
    1 / w_m) with the level a ~ N(0, tau^2) integrated out; ``wy`` = w ybar, ``wyy`` = w ybar^2
    (customers x months, ybar already centred on the prior mean of a), ``logdet`` the sum of
    log(2 pi / w_m) per customer."""
    sw = w.sum(1)[:, None]
    swr = (
        wy.sum(1)[:, None] - c * (w @ lv.T)
        if c
        else np.broadcast_to(wy.sum(1)[:, None], (len(w), len(lv)))
    )
    swrr = wyy.sum(1)[:, None]
    if c:
        swrr = swrr - 2 * c * (wy @ lv.T) + c * c * (w @ (lv * lv).T)
    prec = sw + 1 / tau**2
    return -0.5 * swrr + 0.5 * swr**2 / prec - 0.5 * np.log(tau**2 * prec) - 0.5 * logdet[:, None]


def _month_index(dates: pa.Array) -> np.ndarray:
    d = dates.to_numpy(zero_copy_only=False).astype("datetime64[D]")
    return d.astype("datetime64[M]").astype(np.int64)


def _month_stats(cust, month, y, n, months):
    """Per customer and month: number of values, their sum and their sum of squares."""
    k = np.zeros((n, months))
    s = np.zeros((n, months))
    ss = np.zeros((n, months))
    np.add.at(k, (cust, month), 1)
    np.add.at(s, (cust, month), y)
    np.add.at(ss, (cust, month), y * y)
    return k, s, ss


# ---------------------------------------------------------------------------------------------
# The demo company


class DemoOracle:
    """Bayes classifier for ``kundenwert.demo.generate(n, years, seed)``."""

    LINE_SD_TRUE = 0.75  # the generator's log-normal line noise (documentation; estimated)
    MONTH_SD = 0.2  # the generator's monthly log-normal noise on the shape
    MONTH_MEAN = -0.02
    MIN_PRICE = 140.0  # value lines of products at least this dear seldom hit the 5 EUR floor
    CHANNEL_PRIOR: ClassVar[dict[float, float]] = {0.0: 1 / 3, 0.5: 1 / 3, 1.0: 1 / 3}

    def __init__(self, company, n: int, years: int, seed: int, step: int = 2, phases: int = 24):
        from kundenwert.demo import invoices as inv
        from kundenwert.demo import profiles as pr
        from kundenwert.demo.calendar import Calendar
        from kundenwert.demo.customers import build_customers
        from kundenwert.demo.generator import BLOCK_SIZE, DEFAULT_END

        assert n <= BLOCK_SIZE, "one block: the rate constant is replayed for block 0"
        self.pr, self.inv = pr, inv
        cal = Calendar.ending(DEFAULT_END, years)
        self.months = cal.months
        self.first_month = int(np.datetime64(DEFAULT_END, "M").astype(np.int64)) - self.months + 1
        # The generator's global rate constant k (invoices per month per unit of size x
        # intensity): replayed from its own random stream, as the generator computes it. Only
        # this constant is taken from the replay, no customer's parameters.
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
        prof = pr.draw_profiles(rng, n, self.months)
        _, facts = build_customers(
            rng, prof, 0, max(7, len(str(n))), cal.window_start, cal.month_starts
        )
        kind_lines = 1.0 + (inv._KIND_MIX[facts.business_unit] * inv._EXTRA_LINES[1:]).sum(1)
        weight = prof.size[:, None] * prof.frequency_shape()
        self.k = (
            inv.LINES_PER_CUSTOMER_MONTH
            * n
            * self.months
            / float((weight * kind_lines[:, None]).sum())
        )
        # Machine sales: Poisson at MACHINES_PER_CUSTOMER_YEAR / 12 x size^0.7 / mean(size^0.7)
        # x intensity^(1 - channel), a tenth of it for Klette and the service unit's customers.
        self.machine_k = inv.MACHINES_PER_CUSTOMER_YEAR / 12 / float(np.mean(prof.size**0.7))
        self.replayed = prof  # for validation only (is the replay the benchmark's company?)
        self.step, self.phases = step, phases
        self.families = self._families()
        self.truth = company.ground_truth
        self.obs = self._observe(company)
        # The generator's line noise: log-normal(-0.25, 0.75) around the list price times the
        # level; _value_noise() estimates it from the true steady customers as a check.
        self.mu, self.sigma = -0.25, 0.75
        self.estimated_noise = self._value_noise()

    # -- the generator's families -------------------------------------------------------------

    def _lifecycles(self, can_be_new: bool, lost_p: float) -> dict[tuple[int, int, int], float]:
        """(start, end, won back) with the generator's prior, on a ``step``-month grid: a start
        is moved to the grid month at or before it, an end after it, a return before it, so
        that a customer's purchases stay inside its grid lifecycle."""
        pr, months, step = self.pr, self.months, self.step
        out: dict[tuple[int, int, int], float] = defaultdict(float)
        starts = [(-1, 1 - pr.NEW_SHARE if can_be_new else 1.0)]
        if can_be_new:
            hi = max(2, months - 3)
            starts += [(s, pr.NEW_SHARE / (hi - 1)) for s in range(1, hi)]

        def add(s, e, w, p):
            s2 = s if s < 0 else 1 + step * ((s - 1) // step)
            e2 = e if e >= months else min(months - 1, step * -(-e // step))
            w2 = w if w < 0 else max(e2 + 1, step * (w // step))
            out[(s2, e2, w2)] += p

        for s, ps in starts:
            earliest, latest = max(max(s, 0) + 6, months // 4), months - 3
            if earliest >= latest:
                add(s, months, -1, ps)
                continue
            add(s, months, -1, ps * (1 - lost_p))
            ends = range(earliest, max(latest, earliest + 1))
            for e in ends:
                for gap in range(4, 13):
                    p = ps * lost_p / len(ends) / 9
                    if e + gap < months - 1:
                        add(s, e, e + gap, p * pr.WON_BACK_SHARE)
                        add(s, e, -1, p * (1 - pr.WON_BACK_SHARE))
                    else:
                        add(s, e, -1, p)
        return out

    def _with_lifecycle(self, base_fn, cycles: dict) -> tuple[np.ndarray, np.ndarray]:
        """Curves of ``base_fn(start)`` (bases x months) under each lifecycle."""
        pr, months = self.pr, self.months
        t = np.arange(months, dtype=np.float64)[None, :]
        shapes, weights = [], []
        by_start: dict[int, list] = defaultdict(list)
        for (s, e, w), p in cycles.items():
            by_start[s].append((e, w, p))
        for s, rest in by_start.items():
            base, bw = base_fn(s)  # (b, months), (b,)
            e = np.array([r[0] for r in rest])
            w = np.array([r[1] for r in rest])
            p = np.array([r[2] for r in rest])
            nb, nl = len(base), len(rest)
            shape = np.repeat(base, nl, axis=0)
            cur = pr._apply_lifecycle(shape, t, np.full(nb * nl, s), np.tile(e, nb), np.tile(w, nb))
            shapes.append(cur)
            weights.append(np.outer(bw, p).ravel())
        return np.vstack(shapes), np.concatenate(weights)

    def _families(self) -> list[Family]:
        pr, months = self.pr, self.months
        t = np.arange(months, dtype=np.float64)[None, :]
        ones = lambda s: (np.ones((1, months)), np.ones(1))  # noqa: E731
        fams = [None] * 6
        fams[pr.STEADY] = self._with_lifecycle(ones, self._lifecycles(True, pr.LOST_SHARE))
        # Cyclical: period 12 (half), 18, 24; phase uniform.
        phi = (np.arange(self.phases) + 0.5) / self.phases * 2 * np.pi
        waves, ww = [], []
        for period, p in ((12, 0.5), (18, 0.25), (24, 0.25)):
            wave = ((1.0 + np.sin(2 * np.pi * t / period + phi[:, None])) / 2.0) ** 3 / 0.3125
            waves.append(0.05 + wave)
            ww.append(np.full(self.phases, p / self.phases))
        cyc = np.vstack(waves), np.concatenate(ww)
        fams[pr.CYCLICAL] = self._with_lifecycle(
            lambda s: cyc, self._lifecycles(True, pr.LOST_SHARE)
        )
        # Growth and shrinking: factor log U(2.5, 5) over the customer's own buying time.
        factors = np.log(2.5 + 2.5 * (np.arange(6) + 0.5) / 6)

        def trend(sign):
            def base(s):
                first = max(s, 0)
                u = (t - first) / max(months - first, 1) - 0.5
                return np.exp(sign * factors[:, None] * u), np.full(len(factors), 1 / 6)

            return base

        fams[pr.GROWTH] = self._with_lifecycle(trend(1), self._lifecycles(True, pr.LOST_SHARE))
        fams[pr.SHRINKING] = self._with_lifecycle(
            trend(-1), self._lifecycles(False, pr.LOST_SHARE_SHRINKING)
        )
        # Bell: rise, peak, fall uniform as the generator draws them; no other lifecycle.
        mid = lambda lo, hi, k: lo + (hi - lo) * (np.arange(k) + 0.5) / k  # noqa: E731
        peak, rise, fall = np.meshgrid(
            mid(0.12, 0.5, 16) * months,
            np.maximum(3, mid(0.08, 0.18, 4) * months),
            np.maximum(9, mid(0.4, 0.8, 4) * months),
            indexing="ij",
        )
        peak, rise, fall = peak.ravel(), rise.ravel(), fall.ravel()
        start = np.floor(peak - rise).astype(np.int32)
        end = np.minimum(months, np.ceil(peak + fall)).astype(np.int32)
        bell = pr._bell_shape(t, start, end, peak)
        bell = pr._apply_lifecycle(bell, t, start, end, np.full(len(peak), -1))
        fams[pr.BELL] = bell, np.full(len(peak), 1 / len(peak))
        fams[pr.KLETTE] = np.ones((1, months)), np.ones(1)
        return [Family(s, w / w.sum()) for s, w in fams]

    # -- what the oracle sees -----------------------------------------------------------------

    def _observe(self, company) -> dict:
        inv, n, months = self.inv, self.truth.num_rows, self.months
        t = company.tables["invoices"]
        cust = pc.index_in(t["customer_id"], value_set=self.truth["customer_id"]).to_numpy()
        month = _month_index(t["date"]) - self.first_month
        category = np.asarray(t["category"].to_pylist())
        first_line = t["line_no"].to_numpy() == 1
        heads = first_line & (category != "machine")
        counts = np.zeros((n, months))
        np.add.at(counts, (cust[heads], month[heads]), 1)
        sold = first_line & (category == "machine")
        machines = np.zeros((n, months))
        np.add.at(machines, (cust[sold], month[sold]), 1)
        customers = company.tables["customers"]
        row = pc.index_in(customers["customer_id"], value_set=self.truth["customer_id"])
        service = np.zeros(n, dtype=bool)
        service[row.to_numpy()] = (
            np.asarray(customers["business_unit"].to_pylist()) == self.pr_catalogue_service_unit()
        )
        price = dict(zip(inv._PRODUCTS, inv._PRICES, strict=True))
        list_price = np.array([price[p] for p in t["product"].to_pylist()])
        amount = t["amount"].to_numpy().astype(np.float64)
        credit = t["credit_note"].to_numpy(zero_copy_only=False)
        value = (category != "machine") & ~credit & (list_price >= self.MIN_PRICE) & (amount > 5.01)
        y = np.log(amount[value] / list_price[value])
        k, s, ss = _month_stats(cust[value], month[value], y, n, months)
        return {
            "counts": counts,
            "k": k,
            "sum": s,
            "sumsq": ss,
            "machines": machines,
            "service": service.astype(np.float64),
        }

    @staticmethod
    def pr_catalogue_service_unit() -> str:
        from kundenwert.demo import catalogues

        return catalogues.BUSINESS_UNITS[catalogues.BUSINESS_UNITS.index("Service & Teile")]

    def _value_noise(self) -> tuple[float, float]:
        """Mean and sd of a line's log value (relative to its list price) at level 1, from the
        true steady customers that buy over the whole window: the sd from the scatter within
        a customer's month, the mean from the customers' means less their level's prior mean
        (0.1 E[log size]) and the monthly noise's mean."""
        traj = np.asarray(self.truth["trajectory"].to_pylist())
        whole = np.ones(len(traj), dtype=bool)
        for col in ("buying_from", "lost_on"):
            whole &= pc.is_null(self.truth[col]).to_numpy(zero_copy_only=False)
        rows = (traj == "steady") & whole
        k, s, ss = (self.obs[x][rows] for x in ("k", "sum", "sumsq"))
        within = ss - np.where(k > 0, s * s / np.maximum(k, 1), 0)
        sigma = float(np.sqrt(within.sum() / max((k - (k > 0)).sum(), 1)))
        means = s.sum(1)[k.sum(1) > 0] / k.sum(1)[k.sum(1) > 0]
        size_mu = -(self.pr.SIZE_SIGMA**2) / 2
        mu = float(np.mean(means)) - 0.1 * size_mu - 0.5 * self.MONTH_MEAN
        return mu, sigma

    # -- the posterior ------------------------------------------------------------------------

    def posterior(self) -> np.ndarray:
        """(customers, 6) posterior over the types, rows as in the ground truth."""
        pr, o = self.pr, self.obs
        n = len(o["counts"])
        size_sigma = pr.SIZE_SIGMA
        priors = {
            "other": (gamma_fit_lognormal(-(size_sigma**2) / 2, size_sigma), 0.0, 0.1 * size_sigma),
            "klette": (
                gamma_fit_lognormal(-0.5, 0.35),
                np.log(pr.KLETTE_ORDER_SCALE),
                0.1 * 0.35,
            ),
        }
        log_ev = np.zeros((n, 6))
        for lo in range(0, n, CHUNK):
            sl = slice(lo, min(n, lo + CHUNK))
            chunk = {key: v[sl] for key, v in o.items()}
            for f, fam in enumerate(self.families):
                log_ev[sl, f] = self._family_evidence(
                    chunk, fam, priors["klette" if f == pr.KLETTE else "other"], f == pr.KLETTE
                )
        log_ev += np.log(np.asarray(pr.TRAJECTORY_SHARES))
        return np.exp(log_ev - logsumexp(log_ev, axis=1, keepdims=True))

    def _family_evidence(self, o: dict, fam: Family, prior, klette: bool) -> np.ndarray:
        (a0, b0), level_shift, tau = prior
        # Machine sales: Gamma-Poisson in the customer's size^0.7 (its own Gamma prior).
        size_mu, size_sd = (
            (-0.5, 0.35) if klette else (-(self.pr.SIZE_SIGMA**2) / 2, self.pr.SIZE_SIGMA)
        )
        ma, mb = gamma_fit_lognormal(0.7 * size_mu, 0.7 * size_sd)
        km = self.machine_k * np.where(klette | (o["service"] > 0), 0.1, 1.0)[:, None]
        active = fam.shape > 0
        lv = np.where(active, np.log(np.maximum(fam.shape, 0.05)), 0.0)
        k = o["k"]
        level_mean = (
            self.mu + 0.1 * (-0.5 if klette else -(self.pr.SIZE_SIGMA**2) / 2) + level_shift
        )
        parts = []
        for c, pc_ in self.CHANNEL_PRIOR.items():
            f = np.where(active, np.maximum(fam.shape, 1e-3) ** (1 - c), 0.0)
            logf = np.where(active, np.log(np.maximum(f, 1e-300)), FLOOR)
            ll = gamma_poisson_loglik(o["counts"], logf, f.sum(1), self.k, a0, b0)
            ll = ll + gamma_poisson_loglik(o["machines"], logf, f.sum(1), km, ma, mb)
            # Values: monthly mean of log values, centred on the level's prior mean.
            var = np.where(k > 0, self.sigma**2 / np.maximum(k, 1) + (c * self.MONTH_SD) ** 2, 1.0)
            w = np.where(k > 0, 1 / var, 0.0)
            ybar = (
                np.where(k > 0, o["sum"] / np.maximum(k, 1), 0.0) - level_mean - c * self.MONTH_MEAN
            )
            logdet = np.where(k > 0, np.log(2 * np.pi * var), 0.0).sum(1)
            ll = ll + gaussian_level_loglik(w, w * ybar, w * ybar * ybar, lv, c, tau, logdet)
            parts.append(ll + np.log(fam.weight)[None, :] + np.log(pc_))
        return logsumexp(np.concatenate(parts, axis=1), axis=1)


# ---------------------------------------------------------------------------------------------
# The independent generator (tests/dynamics/value_world.py)


class WorldOracle:
    """Bayes classifier for ``value_world(n_per_type, seed, months)``."""

    CHANNEL_PRIOR: ClassVar[dict[float, float]] = {0.0: 0.25, 0.5: 0.25, 1.0: 0.5}
    NB_SHAPE = 2.0
    WOBBLE_SD = 0.05 / np.sqrt(1 - 0.7**2)  # the steady AR(1)'s stationary sd
    GRID = 8

    def __init__(self, world, months: int = 48):
        self.months = months
        self.truth = world.truth
        as_of = np.datetime64(date(2026, 6, 30), "M").astype(np.int64)
        self.first_month = int(as_of) - months + 1
        self.families = self._families()
        self.obs = self._observe(world.tables)

    def _families(self) -> list[Family]:
        months, g = self.months, self.GRID
        mid = lambda lo, hi, k: lo + (hi - lo) * (np.arange(k) + 0.5) / k  # noqa: E731
        t = (np.arange(months) + 0.5) / months
        m = np.arange(months)
        fams = []
        fams.append((np.ones((1, months)), np.ones(1)))  # steady: its wobble is noise
        rows = []
        for period in (12, 24):
            for amp in mid(0.55, 0.85, 4):
                for phase in mid(0, 2 * np.pi, 24):
                    rows.append(1 + amp * np.sin(2 * np.pi * m / period + phase))
        fams.append((np.array(rows), np.full(len(rows), 1 / len(rows))))
        rows = []
        for peak in mid(0.3, 0.65, 14):
            for k in mid(3.0, 6.0, 7):
                x = t / peak
                rows.append(0.03 + 2.5 * (x**k) * np.exp(k * (1 - x)))
        fams.append((np.array(rows), np.full(len(rows), 1 / len(rows))))
        up, down = [], []
        for factor in mid(2.5, 5.0, 6):
            for centre in mid(0.3, 0.7, g):
                for width in mid(0.06, 0.16, 5):
                    curve = 1 + (factor - 1) / (1 + np.exp(-(t - centre) / width))
                    up.append(curve)
                    down.append(factor / curve)
        for rows in (up, down):
            fams.append((np.array(rows), np.full(len(rows), 1 / len(rows))))
        fams.append((np.ones((1, months)), np.ones(1)))  # Klette
        return [Family(s, w) for s, w in fams]

    def _observe(self, tables) -> dict:
        n, months = self.truth.num_rows, self.months
        inv = tables["invoices"]
        cust = pc.index_in(inv["customer_id"], value_set=self.truth["customer_id"]).to_numpy()
        month = _month_index(inv["date"]) - self.first_month
        amount = inv["amount"].to_numpy().astype(np.float64)
        counts = np.zeros((n, months))
        np.add.at(counts, (cust, month), 1)  # credit notes are orders, too
        pos = amount > 0
        k, s, ss = _month_stats(cust[pos], month[pos], np.log(amount[pos]), n, months)
        act = tables["activities"]
        a_cust = pc.index_in(act["customer_id"], value_set=self.truth["customer_id"]).to_numpy()
        care = np.bincount(a_cust, minlength=n).astype(np.float64)
        return {"counts": counts, "k": k, "sum": s, "sumsq": ss, "care": care}

    def posterior(self) -> np.ndarray:
        o, n = self.obs, len(self.obs["counts"])
        log_ev = np.zeros((n, 6))
        for f, fam in enumerate(self.families):
            log_ev[:, f] = self._family_evidence(o, fam, f)
        log_ev += np.log(1 / 6)  # value_world draws n_per_type of each type
        return np.exp(log_ev - logsumexp(log_ev, axis=1, keepdims=True))

    def _family_evidence(self, o: dict, fam: Family, f: int) -> np.ndarray:
        klette, steady = f == 5, f == 0
        mid = lambda lo, hi, k: lo + (hi - lo) * (np.arange(k) + 0.5) / k  # noqa: E731
        orders = mid(3.0, 6.0, 8) if klette else mid(1.0, 6.0, 12)
        size_mu, size_sd = (np.log(250), 0.3) if klette else (np.log(1500), 0.9)
        spreads = mid(0.3, 0.7, 6)
        care = mid(2.0, 4.0, 8) if klette else mid(0.1, 0.5, 8)
        channels = {1.0: 1.0} if klette else self.CHANNEL_PRIOR
        counts, k = o["counts"], o["k"]
        # The generator's Klette rule shows in its heavy, free service: care activities per
        # month Poisson at a rate uniform on its range.
        c_tot = o["care"][:, None]
        care_ll = logsumexp(c_tot * np.log(care * self.months) - care * self.months, axis=1)
        care_ll -= np.log(len(care))
        within = {}
        for s in spreads:  # the scatter of values inside a month: independent of the curve
            within[s] = (
                -np.maximum(k - 1, 0) * (np.log(s) + 0.5 * np.log(2 * np.pi))
                - np.where(k > 1, o["sumsq"] - o["sum"] ** 2 / np.maximum(k, 1), 0) / (2 * s * s)
            ).sum(1)
        parts = []
        for c, pc_ in channels.items():
            log_curve = np.log(fam.shape)
            # Orders: negative binomial (shape 2) around orders x curve^(1 - c).
            cnt = []
            for rate in orders:
                mu = rate * fam.shape ** (1 - c)
                cnt.append(
                    counts @ np.log(mu).T - (counts + self.NB_SHAPE) @ np.log(self.NB_SHAPE + mu).T
                )
            cnt_ll = logsumexp(np.stack(cnt), axis=0) - np.log(len(orders))
            # Values: log order value ~ N(log size + c log curve - s^2/2, s^2), size integrated.
            val = []
            v = (c * self.WOBBLE_SD) ** 2 if steady else 0.0
            for s in spreads:
                var = np.where(k > 0, s * s / np.maximum(k, 1) + v, 1.0)
                w = np.where(k > 0, 1 / var, 0.0)
                ybar = np.where(k > 0, o["sum"] / np.maximum(k, 1), 0.0) - size_mu + s * s / 2
                logdet = np.where(
                    k > 0, np.log(2 * np.pi * var) + np.log(np.maximum(k, 1)), 0.0
                ).sum(1)
                ll = gaussian_level_loglik(
                    w, w * ybar, w * ybar * ybar, log_curve, c, size_sd, logdet
                )
                val.append(ll + within[s][:, None])
            val_ll = logsumexp(np.stack(val), axis=0) - np.log(len(spreads))
            parts.append(cnt_ll + val_ll + np.log(fam.weight)[None, :] + np.log(pc_))
        return logsumexp(np.concatenate(parts, axis=1), axis=1) + care_ll


# ---------------------------------------------------------------------------------------------
# The figures


def report(
    post: np.ndarray,
    truth: np.ndarray,
    typed: np.ndarray,
    revenue: np.ndarray,
    min_confidence: float,
) -> dict:
    """The oracle's figures on the benchmark's customers. ``post`` (customers x 6), ``truth``,
    ``typed`` (ours) and ``revenue`` are aligned on the same rows (customers with a truth)."""
    guess = np.asarray(TYPES, dtype=object)[post.argmax(1)]
    conf = post.max(1)
    hit = guess == truth
    n = len(truth)
    total_rev = max(float(revenue.sum()), 1e-9)

    def at(mask: np.ndarray) -> dict:
        return {
            "accuracy": float(hit[mask].mean()) if mask.any() else None,
            "typed": float(mask.mean()),
            "revenue": float(revenue[mask].sum() / total_rev),
            "per_type": {
                t: {
                    "typed": float(mask[truth == t].mean()) if (truth == t).any() else None,
                    "right": float(hit[mask & (truth == t)].mean())
                    if (mask & (truth == t)).any()
                    else None,
                }
                for t in TYPES
            },
        }

    order = np.argsort(-conf, kind="stable")

    def first(count: int) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        mask[order[:count]] = True
        return mask

    top = first(_targets_prefix(hit[order], truth[order], per_type=False))
    ours = first(int(typed.sum()))
    every = first(_targets_prefix(hit[order], truth[order], per_type=True))
    return {
        "accuracy_all": float(hit.mean()),
        "min_confidence": min_confidence,
        "at_min_confidence": at(conf >= min_confidence),
        "at_0.9": at(conf >= 0.9),
        "at_target": at(top),
        # Issue 13's accuracy targets together: 90 % right and every type's typed 80 % right.
        "at_all_targets": at(every),
        "accuracy_on_our_typed": float(hit[typed].mean()) if typed.any() else None,
        "our_typed_right_n": {t: int(hit[typed & (truth == t)].sum()) for t in TYPES},
        "accuracy_at_our_coverage": float(hit[ours].mean()) if ours.any() else None,
    }


def _targets_prefix(hit: np.ndarray, truth: np.ndarray, *, per_type: bool) -> int:
    """The most customers, most confident first (``hit`` and ``truth`` in that order), that
    keep TARGET_ACCURACY right overall and, with ``per_type``, TARGET_TYPE_RIGHT right within
    every true type that has typed customers: the ceiling of the coverage targets with the
    others held."""
    n = len(hit)
    ok = np.cumsum(hit) / np.arange(1, n + 1) >= TARGET_ACCURACY
    for kind in TYPES if per_type else ():
        mine = truth == kind
        count, right = np.cumsum(mine), np.cumsum(hit & mine)
        ok &= (count == 0) | (right >= TARGET_TYPE_RIGHT * count)
    found = np.flatnonzero(ok)
    return int(found[-1] + 1) if len(found) else 0
