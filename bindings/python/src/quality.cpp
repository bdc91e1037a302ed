// attune._core.quality_columns: the response-quality indices of `attune score --quality`, computed
// the way the CLI computes them: a first reading gathers the sample's item means, covariances and
// correlations (the all-items block of the reliability sums), a second scores every row against them.
#include <attune/quality.hpp>

#include "columns.hpp"
#include "extras.hpp"

#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <string>

namespace attune_py {

using attune::QualityScorer;
using attune::QualityThresholds;

QualityThresholds thresholds_from(const py::dict& d) {
  QualityThresholds t;
  for (auto kv : d) {
    const std::string k = kv.first.cast<std::string>();
    if (k == "longstring_share") t.longstring_share = kv.second.cast<double>();
    else if (k == "irv_at_most") t.irv_at_most = kv.second.cast<double>();
    else if (k == "even_odd_below") t.even_odd_below = kv.second.cast<double>();
    else if (k == "synonym_r") t.synonym_pair_r = kv.second.cast<double>();
    else if (k == "synonyms_below") t.synonyms_below = kv.second.cast<double>();
    else if (k == "mahalanobis_p") t.mahalanobis_p_below = kv.second.cast<double>();
    else if (k == "share_answered_below") t.share_answered_below = kv.second.cast<double>();
    else if (k == "out_of_range_above") t.out_of_range_above = kv.second.cast<int>();
    else
      throw attune::UsageError("unknown quality threshold '" + k + "'", {},
                               "longstring_share, irv_at_most, even_odd_below, synonym_r, synonyms_below, mahalanobis_p, "
                               "share_answered_below or out_of_range_above (as the CLI's --quality-* options)");
  }
  return t;
}

namespace {

using attune::QualityValues;

// Why a column stays empty: the same sentences as the CLI's note after its summary line.
std::string note_of(const attune::ScoringPlan& plan, const attune::QualityModel& model, const QualityScorer& scorer,
                    const QualityThresholds& t) {
  std::string note;
  auto add = [&](const std::string& s) { note += (note.empty() ? "" : "; ") + s; };
  if (model.cov_inverse.empty()) add("mahalanobis: the sample covariance matrix is not positive definite; column left empty");
  if (model.synonym_pairs.size() < 3)
    add("synonyms: fewer than 3 item pairs correlate above " + std::to_string(t.synonym_pair_r) + "; column left empty");
  if (!scorer.even_odd_available()) add("even_odd needs at least 3 item scales; " + plan.instrument().id + " has fewer, column left empty");
  return note;
}

// The CLI's count of a row's invalid answer cells: answers that are neither missing nor a whole
// number on the data's scale (src/validate_answer.hpp's rule; text cells arrive here as +inf).
int invalid_cells(const double* x, std::size_t k, double lo, double hi) {
  int n = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double v = x[i];
    if (std::isnan(v)) continue;
    if (!(v >= lo && v <= hi && static_cast<double>(static_cast<long long>(v)) == v)) ++n;
  }
  return n;
}

struct QualityOut {
  double *longstring, *irv, *even_odd, *synonyms, *mahalanobis, *mahalanobis_p, *share, *out_of_range;
  std::uint8_t* flags;
  void put(std::size_t row, const QualityValues& q) const {
    longstring[row] = q.longstring < 0 ? kNaN : q.longstring;
    irv[row] = q.irv;
    even_odd[row] = q.even_odd;
    synonyms[row] = q.synonyms;
    mahalanobis[row] = q.mahalanobis;
    mahalanobis_p[row] = q.mahalanobis_p;
    share[row] = q.share_answered;
    out_of_range[row] = q.out_of_range < 0 ? kNaN : q.out_of_range;
    flags[row] = q.flags;
  }
};

// The second reading: every row against the model, error rows with their answers missing (as the
// batch reader hands them over) and then only their invalid cells known.
void score_quality(const attune::ScoringPlan& plan, const std::vector<Column>& in, std::size_t rows,
                   const std::vector<double>& missing, unsigned threads, const QualityScorer& scorer, const QualityOut& out) {
  const std::size_t K = plan.item_count();
  const double lo = plan.data_scale().min, hi = plan.data_scale().max;
  constexpr std::size_t kSlice = 8192;
  const unsigned workers = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  struct Scratch {
    std::vector<double> x;
    std::vector<int> invalid;
    std::vector<QualityValues> q;
    attune::BlockScores bs;
    QualityScorer::Workspace ws;
  };
  std::vector<Scratch> sc(workers);
  for (auto& s : sc) scorer.prepare(s.ws);
  parallel_slices(rows, workers, kSlice, [&](std::size_t b, std::size_t n, unsigned w) {
    Scratch& s = sc[w];
    s.x.resize(n * K);
    gather(in, b, n, missing, s.x.data());
    attune::score_block(plan, s.x.data(), n, s.bs);
    s.invalid.assign(n, 0);
    for (std::size_t r = 0; r < n; ++r) {
      if (s.bs.bad_item[r] < 0) continue;
      s.invalid[r] = invalid_cells(s.x.data() + r * K, K, lo, hi);
      std::fill_n(s.x.data() + r * K, K, kNaN);
    }
    s.q.resize(n);
    scorer.score_rows(s.x.data(), n, s.invalid.data(), s.q.data(), s.ws);
    for (std::size_t r = 0; r < n; ++r) {
      if (s.bs.bad_item[r] >= 0) scorer.score_error_row(s.invalid[r], s.q[r]);
      out.put(b + r, s.q[r]);
    }
  });
}

py::dict quality_columns(const attune::ScoringPlan& plan, const py::list& cols, const std::vector<double>& missing,
                         unsigned threads, const py::dict& thresholds) {
  const QualityThresholds t = thresholds_from(thresholds);
  attune::ReliabilityAccumulator first(plan, true);
  accumulate_columns(plan, cols, missing, {&first});
  std::size_t rows = 0;
  std::vector<py::array> keep;
  const std::vector<Column> in = item_columns_of(plan, cols, rows, keep);
  const attune::ReliabilitySums* all = first.all_items();
  if (!all) throw attune::UsageError("an instrument without items has no response-quality indices");
  auto model = std::make_shared<attune::QualityModel>(attune::QualityModel::from_sums(*all, t));
  const QualityScorer scorer(plan, t, model);
  const char* names[] = {"longstring", "irv", "even_odd", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered",
                         "out_of_range"};
  py::dict d;
  std::vector<double*> p;
  for (const char* name : names) {
    py::array_t<double> a(static_cast<py::ssize_t>(rows));
    p.push_back(a.mutable_data());
    d[name] = a;
  }
  py::array_t<std::uint8_t> flags(static_cast<py::ssize_t>(rows));
  const QualityOut out{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], flags.mutable_data()};
  {
    py::gil_scoped_release nogil;
    score_quality(plan, in, rows, missing, threads, scorer, out);
  }
  d["flags"] = flags;
  d["note"] = note_of(plan, *model, scorer, t);
  return d;
}

}  // namespace

void register_quality(py::module_& m) {
  m.def("quality_columns", &quality_columns, py::arg("plan"), py::arg("columns"), py::arg("missing") = std::vector<double>{},
        py::arg("threads") = 0u, py::arg("thresholds") = py::dict());
  m.def("quality_flag_names", [] {
    std::vector<std::string> v;
    for (int f = 0; f < attune::kQualityFlags; ++f) v.emplace_back(attune::to_string(static_cast<attune::QualityFlag>(f)));
    return v;
  });
}

}  // namespace attune_py
