#!/usr/bin/env python3
"""Cross-check of the compare stage's hand-computed test values against SciPy.

Not part of `cargo test` (it needs Python with numpy and scipy: `pip install scipy`).
Each value below is a literal asserted in src/compare/{stats,groups,keyness}.rs; this script
recomputes it with independent library code and exits 1 on any mismatch.
"""

import itertools
import math
import sys

import numpy as np
from scipy import stats
from scipy.spatial import distance

failures = 0


def check(name, got, expected, tol=1e-9):
    global failures
    ok = abs(got - expected) <= tol
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}: scipy {got:.12g}, rust tests {expected:.12g}")


def cohens_d(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    sp = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    return (a.mean() - b.mean()) / sp


check("cohens_d([1,2,3,4],[2,2,5])", cohens_d([1, 2, 3, 4], [2, 2, 5]), -0.337099931231621)
check("cohens_d([1,2,3],[4,5,6])", cohens_d([1, 2, 3], [4, 5, 6]), -3.0)

# Cliff's delta from the Mann-Whitney U statistic: delta = 2U/(n_a n_b) - 1.
u = stats.mannwhitneyu([1, 2, 3, 4], [2, 2, 5]).statistic
check("cliffs_delta via Mann-Whitney U", 2 * u / 12 - 1, -1 / 6)

q = stats.false_discovery_control([0.01, 0.04, 0.03, 0.2], method="bh")
for got, exp in zip(q, [0.04, 0.16 / 3, 0.16 / 3, 0.2]):
    check("BH q", got, exp, 1e-12)

# 2x2 tables [[a, b], [c, d]]: term in A / B, other tokens in A / B.
t1 = np.array([[30, 10], [70, 90]])
g2 = stats.chi2_contingency(t1, correction=False, lambda_="log-likelihood").statistic
check("G2 (30,10,70,90)", g2, 12.971514326, 1e-8)
check("chi2 (30,10,70,90), no correction (all expected >= 5)",
      stats.chi2_contingency(t1, correction=False).statistic, 12.5)
t2 = np.array([[3, 0], [97, 100]])
check("chi2 (3,0,97,100) with Yates",
      stats.chi2_contingency(t2, correction=True).statistic, 8_000_000 / 5_910_000)
check("G2 (3,0,97,100)",
      stats.chi2_contingency(t2, correction=False, lambda_="log-likelihood").statistic,
      4.20457013, 1e-8)
t3 = np.array([[10, 0], [2, 12]])
check("G2 keyness test (10,0,2,12)",
      stats.chi2_contingency(t3, correction=False, lambda_="log-likelihood").statistic,
      21.787808, 1e-6)
check("chi2 keyness test (10,0,2,12), no correction (all expected >= 5)",
      stats.chi2_contingency(t3, correction=False).statistic, 10 + 50 / 7)

# scipy's jensenshannon is the square root of the divergence.
check("JSD", distance.jensenshannon([0.5, 0.5, 0], [0, 0.5, 0.5], base=2) ** 2, 0.5, 1e-12)
check("cosine distance", distance.cosine([1, 2, 0], [2, 1, 1]), 0.269703257, 1e-9)
check("frame cosine distance", distance.cosine([1, 2], [2, 1]), 0.2, 1e-12)


def exact_perm_p(a, b):
    pooled = a + b
    obs = abs(np.mean(a) - np.mean(b))
    hits = total = 0
    for idx in itertools.combinations(range(len(pooled)), len(a)):
        x = [pooled[i] for i in idx]
        y = [pooled[i] for i in range(len(pooled)) if i not in idx]
        hits += abs(np.mean(x) - np.mean(y)) >= obs - 1e-12
        total += 1
    return hits / total


check("exact permutation p (1,2,3 | 4,5,6)", exact_perm_p([1, 2, 3], [4, 5, 6]), 0.1)
check("exact permutation p (1,2 | 3)", exact_perm_p([1, 2], [3]), 2 / 3)

# Log-odds with informative Dirichlet prior (Monroe et al. 2008), numbers of stats.rs.
delta = math.log(9 / 101) - math.log(3 / 57)
check("log-odds delta", delta, 0.526543040, 1e-9)

sys.exit(1 if failures else 0)
