// Reliability statistics from exact sums, formula for formula as R's psych 2.2.9 computes them
// (psych::alpha, alpha.ci, smc, omega with nfactors = 1). See docs/formulas-reliability.md.
#include "../not_a_number.hpp"
#include <attune/reliability.hpp>
#include <attune/error.hpp>

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/special_functions/erf.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace attune {

namespace {

__extension__ typedef __int128 i128;  // exact n * sum(xy) - sum(x) * sum(y) for any realistic file

using ::attune::detail::kNaN;

// The sums hold whole numbers; convert back to integers for exact products.
inline std::int64_t I(double x) { return static_cast<std::int64_t>(std::llround(x)); }

// n * sxy - sx * sy, exactly, then one rounding.
inline double centered(double n, double sxy, double sx, double sy) {
  const i128 v = static_cast<i128>(I(n)) * I(sxy) - static_cast<i128>(I(sx)) * I(sy);
  return static_cast<double>(v);
}

struct Moments {
  Eigen::MatrixXd C;  // covariance as psych::alpha uses it
  Eigen::MatrixXd Rp; // Pearson r per pair (for omega, as cor(x, use = "pairwise"))
  Eigen::VectorXd n, mean;
};

// Pairwise (complete + partial rows) or listwise (complete rows only) moments.
Moments moments(const ReliabilitySums& s, bool listwise) {
  const std::size_t k = s.k();
  Moments m;
  m.C.resize(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  m.Rp.resizeLike(m.C);
  m.n.resize(static_cast<Eigen::Index>(k));
  m.mean.resize(static_cast<Eigen::Index>(k));
  const double w = listwise ? 0.0 : 1.0;
  auto up = [k](std::size_t i, std::size_t j) { return i <= j ? i * k + j : j * k + i; };
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t ij = i * k + j, ji = j * k + i;
      const double N = s.n_complete + w * s.p_n[ij];
      const double sx = s.c_sum[i] + w * s.p_sx[ij];
      const double sy = s.c_sum[j] + w * s.p_sx[ji];
      const double sxy = s.c_cross[up(i, j)] + w * s.p_sxy[up(i, j)];
      const double sxx = s.c_cross[up(i, i)] + w * s.p_sxx[ij];
      const double syy = s.c_cross[up(j, j)] + w * s.p_sxx[ji];
      const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
      if (N < 2) {
        m.C(a, b) = kNaN;
        m.Rp(a, b) = kNaN;
        continue;
      }
      const double num = centered(N, sxy, sx, sy);
      m.C(a, b) = num / (N * (N - 1));
      const double vx = centered(N, sxx, sx, sx), vy = centered(N, syy, sy, sy);
      m.Rp(a, b) = i == j ? 1.0 : num / std::sqrt(vx * vy);
    }
    const double N = s.n_complete + w * s.p_n[i * k + i];
    m.n(static_cast<Eigen::Index>(i)) = N;
    m.mean(static_cast<Eigen::Index>(i)) = (s.c_sum[i] + w * s.p_sx[i * k + i]) / N;
  }
  return m;
}

Eigen::MatrixXd cov2cor(const Eigen::MatrixXd& C) {
  Eigen::VectorXd d = C.diagonal().cwiseSqrt().cwiseInverse();
  return d.asDiagonal() * C * d.asDiagonal();
}

// psych::Pinv: Moore-Penrose inverse, singular values below sqrt(eps) * largest dropped. For a
// symmetric matrix the eigendecomposition gives the same thing.
Eigen::MatrixXd pinv(const Eigen::MatrixXd& R) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(R);
  const Eigen::VectorXd& ev = es.eigenvalues();
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon()) * ev.cwiseAbs().maxCoeff();
  Eigen::VectorXd inv(ev.size());
  for (Eigen::Index i = 0; i < ev.size(); ++i) inv(i) = std::abs(ev(i)) > tol ? 1.0 / ev(i) : 0.0;
  return es.eigenvectors() * inv.asDiagonal() * es.eigenvectors().transpose();
}

// psych::smc: 1 - 1 / diag(R^-1), clamped to [0, 1].
Eigen::VectorXd smc(const Eigen::MatrixXd& R) {
  Eigen::MatrixXd Ri = pinv(R);
  Eigen::VectorXd s(R.rows());
  for (Eigen::Index i = 0; i < R.rows(); ++i) s(i) = std::clamp(1.0 - 1.0 / Ri(i, i), 0.0, 1.0);
  return s;
}

double median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

// psych::alpha's alpha.1: raw and standardized alpha, G6(smc), average and median r, S/N, Q.
struct Alpha1 {
  double raw, std, g6, av_r, sn, Q, med_r;
};
Alpha1 alpha1(const Eigen::MatrixXd& C, const Eigen::MatrixXd& R) {
  const double n = static_cast<double>(C.rows());
  Alpha1 a{};
  const double sumC = C.sum(), trC = C.trace();
  a.raw = (1 - trC / sumC) * (n / (n - 1));
  const double sumR = R.sum();
  a.std = (1 - n / sumR) * (n / (n - 1));
  a.g6 = 1 - (n - smc(R).sum()) / sumR;
  a.av_r = (sumR - n) / (n * (n - 1));
  a.sn = n * a.av_r / (1 - a.av_r);
  const Eigen::MatrixXd CC = C * C;
  a.Q = (2 * n * n / ((n - 1) * (n - 1) * std::pow(sumC, 3))) * (sumC * (CC.trace() + trC * trC) - 2 * (trC * CC.sum()));
  std::vector<double> lower;
  for (Eigen::Index j = 0; j < R.cols(); ++j)
    for (Eigen::Index i = j + 1; i < R.rows(); ++i) lower.push_back(R(i, j));
  a.med_r = median(lower);
  return a;
}

// The F quantile as R's qf computes it, which psych::alpha.ci calls. R (nmath/qf.c) replaces the F
// distribution by a scaled chi-square when a df exceeds 4e5 ("qbeta doesn't do this well"):
// df1 <= df2, df2 > 4e5: qchisq(p, df1) / df1; df1 > 4e5: df2 / qchisq(1 - p, df2). For the
// Feldt interval that is the case from about 25,000 rows on an 18-item scale; there the bounds
// differ from the exact F quantile (Boost) by about 3e-5. We follow R so results match psych.
double r_qf(double p, double df1, double df2) {
  if (df1 <= df2 && df2 > 4e5) return boost::math::quantile(boost::math::chi_squared_distribution<double>(df1), p) / df1;
  if (df1 > 4e5) return df2 / boost::math::quantile(boost::math::complement(boost::math::chi_squared_distribution<double>(df2), p));
  return boost::math::quantile(boost::math::fisher_f_distribution<double>(df1, df2), p);
}

Eigen::MatrixXd drop(const Eigen::MatrixXd& M, Eigen::Index skip) {
  const Eigen::Index k = M.rows();
  Eigen::MatrixXd o(k - 1, k - 1);
  for (Eigen::Index i = 0, a = 0; i < k; ++i) {
    if (i == skip) continue;
    for (Eigen::Index j = 0, b = 0; j < k; ++j) {
      if (j == skip) continue;
      o(a, b++) = M(i, j);
    }
    ++a;
  }
  return o;
}

// McDonald's omega total from a one-factor minres (unweighted least squares) model of the
// correlation matrix S, as psych::omega(nfactors = 1) -> fa(fm = "minres"): uniquenesses psi
// where the loadings are the first eigenvector of S - diag(psi) scaled by sqrt(eigenvalue) and
// psi = 1 - loading^2 (the stationary point psych's optimizer approaches; psi kept in psych's
// bounds [0.005, 1]). omega_t = (sum(S) - sum(u2)) / sum(S) with u2 = 1 - h2, h2 = loading^2.
double omega_total(const Eigen::MatrixXd& S, int& iterations, bool& converged) {
  const Eigen::Index k = S.rows();
  Eigen::VectorXd psi = Eigen::VectorXd::Ones(k) - smc(S);
  double lambda = 0;
  converged = false;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es;
  for (iterations = 1; iterations <= 20000; ++iterations) {
    Eigen::MatrixXd M = S;
    for (Eigen::Index i = 0; i < k; ++i) M(i, i) = 1 - psi(i);
    es.compute(M);
    lambda = std::max(es.eigenvalues()(k - 1), 0.0);
    Eigen::VectorXd v = es.eigenvectors().col(k - 1);
    Eigen::VectorXd next(k);
    for (Eigen::Index i = 0; i < k; ++i) next(i) = std::clamp(1 - lambda * v(i) * v(i), 0.005, 1.0);
    const double change = (next - psi).cwiseAbs().maxCoeff();
    psi = next;
    if (change < 1e-13) { converged = true; break; }
  }
  // h2 from the final loadings (psych: h2 = diag(L L'), u2 = 1 - h2), so sum(u2) = k - lambda.
  Eigen::MatrixXd M = S;
  for (Eigen::Index i = 0; i < k; ++i) M(i, i) = 1 - psi(i);
  es.compute(M);
  lambda = std::max(es.eigenvalues()(k - 1), 0.0);
  const double Vt = S.sum();
  return (Vt - (static_cast<double>(k) - lambda)) / Vt;
}

std::string fmt(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", x);
  return b;
}

void set_all_nan(ScaleReliability& out, const std::string& why) {
  for (double* p : {&out.alpha, &out.std_alpha, &out.lambda6, &out.average_r, &out.median_r, &out.signal_noise, &out.ase,
                    &out.alpha_ci_feldt.lower, &out.alpha_ci_feldt.upper, &out.alpha_ci_duhachek.lower,
                    &out.alpha_ci_duhachek.upper, &out.omega_total})
    *p = kNaN;
  out.note = why;
}

// Item statistics that need no covariance matrix: n, missing, mean, SD and answer frequencies; the
// item-total ones start as NaN.
void add_item_descriptives(ScaleReliability& out, const ReliabilitySums& s, const Moments& m,
                           const std::vector<std::string>& ids, bool listwise) {
  const std::size_t k = s.k();
  const std::size_t nv = k ? s.c_freq.size() / k : 0;
  const int rev = s.value_min + s.value_max;
  for (std::size_t i = 0; i < k; ++i) {
    ItemStatistics it;
    it.id = i < ids.size() ? ids[i] : std::to_string(i);
    it.reversed = s.reversed[i] != 0;
    it.n = m.n(static_cast<Eigen::Index>(i));
    it.missing = out.n - it.n;
    it.missing_share = out.n > 0 ? it.missing / out.n : kNaN;
    it.mean = m.mean(static_cast<Eigen::Index>(i));
    it.sd = std::sqrt(m.C(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i)));
    for (std::size_t v = 0; v < nv; ++v) {
      const double c = s.c_freq[i * nv + v] + (listwise ? 0.0 : s.p_freq[i * nv + v]);
      const int keyed = s.value_min + static_cast<int>(v);
      // Frequencies are of the answers as given (unkeyed), the way a researcher reads a codebook.
      it.frequencies[it.reversed ? rev - keyed : keyed] = it.n > 0 ? c / it.n : kNaN;
    }
    it.r_drop = it.r_cor = it.std_r = it.alpha_if_deleted = it.std_alpha_if_deleted = kNaN;
    out.items.push_back(std::move(it));
  }
}

// Why the scale's reliability cannot be computed, or empty when it can.
std::string unusable_reason(const ScaleReliability& out, const Moments& m) {
  if (out.k < 2) return "reliability needs at least 2 items";
  if (out.n < 2 || !m.C.allFinite()) return "too few rows answering each pair of items";
  for (Eigen::Index i = 0; i < m.C.rows(); ++i) {
    if (!(m.C(i, i) > 0)) return "item " + out.items[static_cast<std::size_t>(i)].id + " has no variance (psych would drop it)";
  }
  return {};
}

// Alpha, its siblings from psych::alpha's alpha.1, and both confidence intervals.
void add_alpha(ScaleReliability& out, const Alpha1& a, const ReliabilityOptions& opt) {
  out.alpha = a.raw;
  out.std_alpha = a.std;
  out.lambda6 = a.g6;
  out.average_r = a.av_r;
  out.median_r = a.med_r;
  out.signal_noise = a.sn;
  out.ase = std::sqrt(a.Q / out.n);
  // Duhachek & Iacobucci (2004): alpha -/+ z * ASE, as psych's print method shows it.
  // psych's print uses the rounded 1.96 for 95%; other levels use the exact normal quantile.
  const double z = opt.ci_level == 0.95 ? 1.96 : std::sqrt(2.0) * boost::math::erfc_inv(1 - opt.ci_level);
  out.alpha_ci_duhachek = {a.raw - z * out.ase, a.raw + z * out.ase};
  // Feldt (1987), psych::alpha.ci: 1 - (1 - alpha) * F quantiles on (n - 1, (n - 1)(k - 1)) df.
  const double p = 1 - opt.ci_level;
  const double df1 = out.n - 1, df2 = (out.n - 1) * (static_cast<double>(out.k) - 1);
  out.alpha_ci_feldt.upper = 1 - (1 - a.raw) * r_qf(p / 2, df1, df2);
  out.alpha_ci_feldt.lower = 1 - (1 - a.raw) * r_qf(1 - p / 2, df1, df2);
}

// Item-total statistics, as psych::alpha's item.stats and alpha.drop.
void add_item_totals(ScaleReliability& out, const Eigen::MatrixXd& C, const Eigen::MatrixXd& R) {
  const double Vt = R.sum();
  Eigen::MatrixXd RC = R;
  RC.diagonal() = smc(R);
  const double Vtc = RC.sum();
  for (Eigen::Index i = 0; i < C.rows(); ++i) {
    auto& it = out.items[static_cast<std::size_t>(i)];
    it.std_r = R.col(i).sum() / std::sqrt(Vt);
    it.r_cor = RC.col(i).sum() / std::sqrt(Vtc);
    const double v_drop = C.sum() - 2 * C.col(i).sum() + C(i, i);
    const double c_drop = C.col(i).sum() - C(i, i);
    it.r_drop = c_drop / std::sqrt(C(i, i) * v_drop);
    if (out.k > 2) {
      const Alpha1 d = alpha1(drop(C, i), drop(R, i));
      it.alpha_if_deleted = d.raw;
      it.std_alpha_if_deleted = d.std;
    } else {
      // psych's two-item case: the other item's covariance over its variance.
      const Eigen::Index o = 1 - i;
      it.alpha_if_deleted = C(0, 1) / C(o, o);
      it.std_alpha_if_deleted = R(0, 1);
    }
  }
}

// Miskeyed items: a negative corrected item-total r on the keyed items means the item, as keyed,
// runs against the rest of its scale -- its answers behave as if keyed the other way.
void add_miskey_warnings(ScaleReliability& out, const ReliabilityOptions& opt) {
  for (const auto& it : out.items) {
    if (!(it.r_drop < opt.miskey_below)) continue;
    MiskeyWarning w;
    w.scale = out.id;
    w.item = it.id;
    w.reversed = it.reversed;
    w.r_drop = it.r_drop;
    w.message = "item " + it.id + " on " + out.id + ": corrected item-total r = " + fmt(it.r_drop) + " after keying it as " +
                (it.reversed ? "reverse-keyed" : "not reversed") + "; its answers run against the rest of the scale, as if it were " +
                (it.reversed ? "not reverse-keyed" : "reverse-keyed") + " -- check the key and the column mapping";
    out.warnings.push_back(w);
  }
}

}  // namespace

PairwiseMoments pairwise_moments(const ReliabilitySums& sums) {
  Moments m = moments(sums, false);
  PairwiseMoments o;
  const std::size_t k = sums.k();
  o.k = k;
  o.n.resize(k * k);
  o.cov.resize(k * k);
  o.cor.resize(k * k);
  o.mean.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    o.mean[i] = m.mean(static_cast<Eigen::Index>(i));
    for (std::size_t j = 0; j < k; ++j) {
      o.n[i * k + j] = sums.n_complete + sums.p_n[i * k + j];
      o.cov[i * k + j] = m.C(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      o.cor[i * k + j] = m.Rp(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    }
  }
  return o;
}

ScaleReliability scale_reliability(const ReliabilitySums& s, const std::vector<std::string>& ids, const ReliabilityOptions& opt) {
  const bool listwise = opt.missing == MissingHandling::listwise;
  ScaleReliability out;
  out.id = s.scale;
  out.k = s.k();
  out.n = listwise ? s.n_complete : s.rows_any;
  out.n_complete = s.n_complete;

  Moments m = moments(s, listwise);
  add_item_descriptives(out, s, m, ids, listwise);
  const std::string why = unusable_reason(out, m);
  if (!why.empty()) {
    set_all_nan(out, why);
    return out;
  }
  const Eigen::MatrixXd& C = m.C;
  const Eigen::MatrixXd R = cov2cor(C);
  add_alpha(out, alpha1(C, R), opt);
  add_item_totals(out, C, R);
  // Omega total: on cor(x, use = "pairwise") (each pair's own means and SDs), as psych::omega.
  out.omega_total = omega_total(listwise ? R : m.Rp, out.omega_iterations, out.omega_converged);
  if (!out.omega_converged) out.note = "omega: the one-factor fit did not converge in 20000 iterations";
  add_miskey_warnings(out, opt);
  return out;
}

ReliabilityReport reliability(const ReliabilityAccumulator& acc, const ReliabilityOptions& opt) {
  ReliabilityReport rep;
  const Instrument& ins = acc.plan().instrument();
  rep.instrument_id = ins.id;
  rep.instrument_version = ins.version;
  rep.missing = opt.missing;
  rep.ci_level = opt.ci_level;
  for (const auto& s : acc.scales()) {
    std::vector<std::string> ids;
    for (int i : s.items) ids.push_back(ins.items[static_cast<std::size_t>(i)].id);
    rep.scales.push_back(scale_reliability(s, ids, opt));
    for (const auto& w : rep.scales.back().warnings) rep.warnings.push_back(w);
  }
  return rep;
}

}  // namespace attune
