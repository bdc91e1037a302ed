// `attune audit`: the key the data suggest, item by item, beside the instrument's (docs/audit.md).
#include <attune/audit.hpp>

#include "scale_json.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attune {

namespace {

using nlohmann::ordered_json;

struct FirstComponent {
  std::vector<double> loading;  // per item, oriented
  double share = 0;             // first eigenvalue / k
  bool ok = false;
};

// The first principal component of the keyed items' correlation matrix. Its sign is arbitrary;
// it is turned to agree with the instrument's keying as a whole (the sum of the keyed loadings is
// positive), so an item's loading is negative when the data disagree with its key.
FirstComponent first_component(const ReliabilitySums& sums, MissingHandling missing) {
  ReliabilitySums s = sums;
  if (missing == MissingHandling::listwise) {
    for (auto* v : {&s.p_n, &s.p_sx, &s.p_sxx, &s.p_sxy}) std::fill(v->begin(), v->end(), 0.0);
  }
  const PairwiseMoments m = pairwise_moments(s);
  const auto K = static_cast<Eigen::Index>(m.k);
  FirstComponent out;
  if (m.k < 2) return out;
  Eigen::MatrixXd R(K, K);
  for (Eigen::Index i = 0; i < K; ++i)
    for (Eigen::Index j = 0; j < K; ++j) {
      const double r = m.cor[static_cast<std::size_t>(i * K + j)];
      if (!std::isfinite(r)) return out;  // an item without variance, or a pair never answered together
      R(i, j) = r;
    }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(R);
  if (eig.info() != Eigen::Success) return out;
  const double lambda = eig.eigenvalues()(K - 1);
  if (!(lambda > 0)) return out;
  Eigen::VectorXd v = eig.eigenvectors().col(K - 1) * std::sqrt(lambda);
  if (v.sum() < 0) v = -v;
  out.loading.assign(v.data(), v.data() + K);
  out.share = lambda / static_cast<double>(K);
  out.ok = true;
  return out;
}

ScaleAudit audit_scale(const ReliabilitySums& sums, const ScaleReliability& rel, const AuditOptions& options) {
  ScaleAudit a;
  a.id = sums.scale;
  a.n = rel.n;
  const FirstComponent pc = first_component(sums, options.missing);
  a.first_share = pc.ok ? pc.share : std::nan("");
  if (!pc.ok) a.note = "no first component: fewer than two items, an item without variance, or two items never answered together";
  for (std::size_t i = 0; i < sums.k(); ++i) {
    ItemAudit it;
    it.id = rel.items[i].id;
    it.reverse = sums.reversed[i] != 0;
    it.item_rest_r = rel.items[i].r_drop;
    it.n = rel.items[i].n;
    it.loading = pc.ok ? pc.loading[i] : std::nan("");
    const bool disagrees = pc.ok && it.loading <= -options.min_loading;
    it.suggested_reverse = disagrees ? !it.reverse : it.reverse;
    it.miskeyed = it.suggested_reverse != it.reverse;
    a.items.push_back(it);
  }
  return a;
}

ordered_json num(double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); }

}  // namespace

AuditReport audit(const ReliabilityAccumulator& sums, const ScaleUsageAccumulator& usage, const AuditOptions& options) {
  ReliabilityOptions ro;
  ro.missing = options.missing;
  const ReliabilityReport rel = reliability(sums, ro);
  AuditReport out;
  out.instrument_id = rel.instrument_id;
  out.instrument_version = rel.instrument_version;
  const auto& scales = sums.scales();
  for (std::size_t s = 0; s < scales.size() && s < rel.scales.size(); ++s) out.scales.push_back(audit_scale(scales[s], rel.scales[s], options));
  out.scale_check = check_scale(usage, &rel);
  return out;
}

std::string to_json(const AuditReport& rep, int indent) {
  ordered_json root;
  root["instrument"] = rep.instrument_id;
  root["instrument_version"] = rep.instrument_version;
  root["method"] =
      "Per scale: the first principal component of the keyed items' correlations (pairwise-complete unless listwise), "
      "turned so that the keyed loadings sum to a positive number. An item whose keyed loading is -0.10 or below is "
      "suggested the other key (miskeyed). item_rest_r is psych::alpha's r.drop with the instrument's key. See docs/audit.md.";
  ordered_json scales = ordered_json::object();
  ordered_json miskeyed = ordered_json::array();
  for (const auto& s : rep.scales) {
    ordered_json j;
    j["n"] = static_cast<long long>(std::llround(s.n));
    j["first_component_share"] = num(s.first_share);
    if (!s.note.empty()) j["note"] = s.note;
    ordered_json items = ordered_json::array();
    for (const auto& it : s.items) {
      items.push_back({{"id", it.id}, {"reverse", it.reverse}, {"suggested_reverse", it.suggested_reverse}, {"miskeyed", it.miskeyed},
                       {"item_rest_r", num(it.item_rest_r)}, {"loading", num(it.loading)},
                       {"loading_sign", std::isfinite(it.loading) ? (it.loading < 0 ? -1 : 1) : 0},
                       {"n", static_cast<long long>(std::llround(it.n))}});
      if (it.miskeyed) miskeyed.push_back({{"scale", s.id}, {"item", it.id}});
    }
    j["items"] = items;
    scales[s.id] = j;
  }
  root["scales"] = scales;
  root["miskeyed"] = miskeyed;
  root["response_scale"] = detail::response_scale_json(rep.scale_check.status());
  return root.dump(indent) + "\n";
}

std::string to_text(const AuditReport& rep) {
  std::string o = "Key audit: " + rep.instrument_id + " " + rep.instrument_version + " (not a diagnosis of anyone: a check of the key)\n";
  o += detail::response_scale_text(rep.scale_check.status());
  char b[256];
  auto f = [](double x) {
    char t[32];
    if (std::isfinite(x)) std::snprintf(t, sizeof t, "%.3f", x); else std::snprintf(t, sizeof t, "NA");
    return std::string(t);
  };
  std::size_t flagged = 0;
  for (const auto& s : rep.scales) {
    std::snprintf(b, sizeof b, "\n%s (n = %.0f, first component %s of the variance)\n", s.id.c_str(), s.n, f(s.first_share).c_str());
    o += b;
    if (!s.note.empty()) o += "  note: " + s.note + "\n";
    std::snprintf(b, sizeof b, "  %-10s %7s %9s %9s %8s\n", "item", "key", "suggested", "r.drop", "loading");
    o += b;
    for (const auto& it : s.items) {
      std::snprintf(b, sizeof b, "  %-10s %7s %9s %9s %8s%s\n", it.id.c_str(), it.reverse ? "reverse" : "forward",
                    it.suggested_reverse ? "reverse" : "forward", f(it.item_rest_r).c_str(), f(it.loading).c_str(),
                    it.miskeyed ? "  <- looks miskeyed" : "");
      o += b;
      flagged += it.miskeyed ? 1 : 0;
    }
  }
  o += flagged ? "\n" + std::to_string(flagged) + " item(s) look miskeyed: their answers go against the rest of their scale as keyed.\n"
               : "\nNo item looks miskeyed.\n";
  return o;
}

}  // namespace attune
