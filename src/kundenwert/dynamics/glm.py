"""Poisson regression for many short count series at once (one fit per row, vectorised).

A customer's monthly or quarterly number of invoice lines and care activities is a count; a
Poisson GLM with log link (the model of statsmodels' ``GLM(family=Poisson())``) is the
textbook way to fit a trend, a bump or a cycle to it. statsmodels fits one series per call,
which for a million customers takes hours; this module runs the same iteratively reweighted
least squares on all rows together with batched NumPy linear algebra. The tests check it
against a direct maximisation of the likelihood with SciPy on single series.
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits


class BatchPoissonGLM:
    """Poisson GLM with log link, one independent fit per row of ``y``.

    The design ``X`` (points, params) is shared; ``y`` and ``weight`` are (rows, points); a
    weight of 0 leaves a point out (e.g. months before the first purchase).
    A tiny ridge keeps rows with too few points solvable; their fit is meaningless and the
    caller must not use it (the trajectory rules require enough history first).
    """

    def __init__(self, max_iter: int = 6, ridge: float = 1e-4, information: bool = False) -> None:
        self.max_iter = max_iter
        self.ridge = ridge
        self.information = information  # keep the Fisher information (rows x k x k)

    def fit(self, X: np.ndarray, y: np.ndarray, weight: np.ndarray) -> BatchPoissonGLM:
        """``X`` (points, params), shared by all rows; ``y`` and ``weight`` (rows, points)."""
        # The products are tall and thin (rows x 12 by 12 x 6): threaded BLAS only adds
        # overhead there, several times slower than one thread on this kind of machine.
        with threadpool_limits(1, user_api="blas"):
            return self._fit(X, y, weight)

    def _fit(self, X: np.ndarray, y: np.ndarray, weight: np.ndarray) -> BatchPoissonGLM:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        weight = np.asarray(weight, dtype=np.float64)
        if X.ndim != 2 or y.shape != weight.shape or y.shape[1] != X.shape[0]:
            raise ValueError("X must be (points, params), y and weight (rows, points)")
        k = X.shape[1]
        # Products of design columns: with a shared design every normal equation of every
        # row is one matrix product (weights x products), which BLAS does fast.
        pairs = [(i, j) for i in range(k) for j in range(i, k)]
        prods = np.stack([X[:, i] * X[:, j] for i, j in pairs], axis=1)
        coef = np.zeros((y.shape[0], k))
        mean = (y * weight).sum(1) / np.maximum(weight.sum(1), 1)
        coef[:, 0] = np.log(np.maximum(mean, 1e-3))  # column 0 must be the intercept
        for _ in range(self.max_iter):
            eta = np.clip(coef @ X.T, -30, 30)
            mu = np.exp(eta)
            w = mu * weight
            # w * z with the working response z = eta + (y - mu) / mu, without the division.
            wz = w * eta + weight * (y - mu)
            flat = w @ prods
            a = np.empty((y.shape[0], k, k))
            for col, (i, j) in enumerate(pairs):
                a[:, i, j] = a[:, j, i] = flat[:, col]
            a += self.ridge * np.eye(k)
            b = wz @ X
            coef = _solve(a, b)
        eta = np.clip(coef @ X.T, -30, 30)
        self.coef_ = coef
        if self.information:
            # Fisher information at the estimate: its inverse (times the dispersion) is the
            # covariance of the coefficients.
            self.information_ = _normal_matrix(X, np.exp(eta) * weight)
        # Log-likelihood without the log(y!) term, which is the same for every model of y.
        self.loglik_ = (weight * (y * eta - np.exp(eta))).sum(1)
        self.n_obs_ = weight.sum(1)
        return self


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve the batch of small symmetric systems ``a x = b``.

    Up to 3 parameters by the explicit inverse (adjugate over determinant), elementwise on
    whole columns: for hundreds of thousands of 3x3 systems that is many times faster than
    the per-matrix LAPACK calls of ``np.linalg.solve``.
    """
    k = a.shape[1]
    if k == 1:
        return b / a[:, 0]
    if k == 2:
        det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
        x0 = (a[:, 1, 1] * b[:, 0] - a[:, 0, 1] * b[:, 1]) / det
        x1 = (a[:, 0, 0] * b[:, 1] - a[:, 1, 0] * b[:, 0]) / det
        return np.stack([x0, x1], axis=1)
    if k == 3:
        c00, c01, c02, c11, c12, c22, det = _adjugate3(a)
        x0 = (c00 * b[:, 0] + c01 * b[:, 1] + c02 * b[:, 2]) / det
        x1 = (c01 * b[:, 0] + c11 * b[:, 1] + c12 * b[:, 2]) / det
        x2 = (c02 * b[:, 0] + c12 * b[:, 1] + c22 * b[:, 2]) / det
        return np.stack([x0, x1, x2], axis=1)
    return np.linalg.solve(a, b[..., None])[..., 0]


def _adjugate3(a: np.ndarray) -> tuple[np.ndarray, ...]:
    """The adjugate's upper triangle (c00, c01, c02, c11, c12, c22) and the determinant of
    each symmetric 3x3 matrix (the adjugate is symmetric too: c10 = c01, c20 = c02, c21 = c12)."""
    c00 = a[:, 1, 1] * a[:, 2, 2] - a[:, 1, 2] * a[:, 2, 1]
    c01 = a[:, 1, 2] * a[:, 2, 0] - a[:, 1, 0] * a[:, 2, 2]
    c02 = a[:, 1, 0] * a[:, 2, 1] - a[:, 1, 1] * a[:, 2, 0]
    c11 = a[:, 0, 0] * a[:, 2, 2] - a[:, 0, 2] * a[:, 2, 0]
    c12 = a[:, 0, 1] * a[:, 2, 0] - a[:, 0, 0] * a[:, 2, 1]
    c22 = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
    det = a[:, 0, 0] * c00 + a[:, 0, 1] * c01 + a[:, 0, 2] * c02
    return c00, c01, c02, c11, c12, c22, det


class BatchWLS:
    """Weighted least squares, one independent fit per row (shared design), for the mean log
    order value of each block; ``rss_`` is the weighted residual sum of squares per row.

    (Huber's robust weights were tried against single exceptional orders, a machine among
    consumables: on the demo company and on the independent generator of
    tests/dynamics/value_world.py they lost 2 to 3 points of accuracy, so plain least squares
    it is.)
    """

    def __init__(self, ridge: float = 1e-6, information: bool = False) -> None:
        self.ridge = ridge
        self.information = information

    def fit(self, X: np.ndarray, y: np.ndarray, weight: np.ndarray) -> BatchWLS:
        X = np.asarray(X, dtype=np.float64)
        k = X.shape[1]
        with threadpool_limits(1, user_api="blas"):
            a = _normal_matrix(X, weight) + self.ridge * np.eye(k)
            self.coef_ = _solve(a, (weight * y) @ X)
        if self.information:
            self.information_ = a  # times 1 / sigma^2: the inverse covariance
        self.rss_ = (weight * (y - self.coef_ @ X.T) ** 2).sum(1)
        return self


def _normal_matrix(X: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """X' W X for every row's weights: one matrix product over the products of the design's
    columns (several times faster than an einsum over rows x points x params x params)."""
    k = X.shape[1]
    pairs = [(i, j) for i in range(k) for j in range(i, k)]
    flat = weight @ np.stack([X[:, i] * X[:, j] for i, j in pairs], axis=1)
    a = np.empty((weight.shape[0], k, k))
    for col, (i, j) in enumerate(pairs):
        a[:, i, j] = a[:, j, i] = flat[:, col]
    return a


def slope_variance(information: np.ndarray) -> np.ndarray:
    """Element [1, 1] of the inverse of each row's 2x2 information matrix (the slope's
    variance up to the dispersion)."""
    a = information
    det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
    return a[:, 0, 0] / np.maximum(det, 1e-300)


def shape_covariance(information: np.ndarray) -> np.ndarray:
    """The covariance of the shape coefficients (all but the intercept, column 0) up to the
    noise scale: the lower-right block of the inverse of each row's 2x2 or 3x3 information
    (adjugate over determinant, elementwise: a batched LAPACK call per row is much slower)."""
    if information.shape[1] == 2:
        return slope_variance(information)[:, None, None]
    _, _, _, c11, c12, c22, det = _adjugate3(information)
    det = np.maximum(det, 1e-300)[:, None, None]
    return np.stack([np.stack([c11, c12], 1), np.stack([c12, c22], 1)], 1) / det
