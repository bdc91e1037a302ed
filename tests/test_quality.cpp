// Response-quality indices on rows built to trip each flag and rows built not to.
#include <attune/attune.hpp>
#include <attune/quality.hpp>
#include <attune/reliability.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/helpers.hpp"

#include "../src/stats/chi_square.hpp"  // internal: the closed-form p of the Mahalanobis index

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#include "../src/batch/tuning.hpp"

namespace {

const double NaN = std::nan("");

// RAAS: 18 items 1..5; item scales close (q1 q6 q8R q12 q13R q17R), depend (q2R q5 q7R q14 q16R q18R),
// anxiety (q3 q4 q9 q10 q11 q15). Raw answers from keyed values per item (reverse: 6 - keyed).
struct Raas {
  attune::Instrument ins = attune::load_instrument("raas");
  attune::ScoringPlan plan = attune::ScoringPlan::compile(ins);
  std::vector<double> row(const std::vector<std::pair<std::string, double>>& keyed) const {
    std::vector<double> x(18, NaN);
    for (const auto& [id, v] : keyed) {
      bool rev = false;
      for (const auto& s : ins.scales) if (!s.derived() && s.is_reversed(id)) rev = true;
      x[static_cast<std::size_t>(plan.item_index(id))] = rev ? 6 - v : v;
    }
    return x;
  }
};

bool has(const attune::QualityValues& q, attune::QualityFlag f) { return (q.flags >> static_cast<int>(f)) & 1u; }

// Hand-made sample model: every item mean 3, variance 2, uncorrelated; synonym pairs q1-q6, q3-q4, q5-q14.
std::shared_ptr<attune::QualityModel> toy_model(const attune::ScoringPlan& plan) {
  auto m = std::make_shared<attune::QualityModel>();
  m->items = 18;
  m->mean.assign(18, 3.0);
  m->cov.assign(18 * 18, 0.0);
  m->cov_inverse.assign(18 * 18, 0.0);
  for (int i = 0; i < 18; ++i) { m->cov[i * 18 + i] = 2; m->cov_inverse[i * 18 + i] = 0.5; }
  m->synonym_pairs = {{plan.item_index("q1"), plan.item_index("q6")}, {plan.item_index("q3"), plan.item_index("q4")},
                      {plan.item_index("q5"), plan.item_index("q14")}};
  return m;
}

// Upper tail of chi-square with even df: exp(-x/2) * sum_{k < df/2} (x/2)^k / k! (Poisson identity).
double chisq_upper_even(double x, int df) {
  double term = 1, sum = 0;
  for (int k = 0; k < df / 2; ++k) { if (k) term *= (x / 2) / k; sum += term; }
  return std::exp(-x / 2) * sum;
}

}  // namespace

TEST_CASE("longstring and IRV catch a straight line and pass a varied row") {
  Raas r;
  attune::QualityScorer q(r.plan, {}, nullptr);
  attune::QualityScorer::Workspace ws;
  q.prepare(ws);
  REQUIRE(q.longstring_limit() == 9);  // half of 18 items (Curran 2016)
  std::vector<double> flat(18, 3.0);
  attune::QualityValues v;
  q.score(flat.data(), 0, v, ws);
  CHECK(v.longstring == 18);
  CHECK(v.irv == 0);
  CHECK(has(v, attune::QualityFlag::longstring));
  CHECK(has(v, attune::QualityFlag::irv));
  CHECK(std::isnan(v.even_odd));  // halves all equal: no variance across scales, no correlation
  // 1,2,3,4,5,1,2,... in position order: runs of 1; SD by hand: values 1..5 x3, then 1,2,3 ->
  // sum 51, sum of squares 3*55 + 14 = 179, SD = sqrt((179 - 51^2/18) / 17) = sqrt(34.5 / 17).
  std::vector<double> varied(18);
  for (int p = 1; p <= 18; ++p) varied[static_cast<std::size_t>(r.plan.item_index("q" + std::to_string(p)))] = (p - 1) % 5 + 1;
  q.score(varied.data(), 0, v, ws);
  CHECK(v.longstring == 1);
  CHECK(v.irv == Approx(std::sqrt(34.5 / 17)).epsilon(1e-12));
  CHECK_FALSE(has(v, attune::QualityFlag::longstring));
  CHECK_FALSE(has(v, attune::QualityFlag::irv));
  CHECK(v.share_answered == 1);
  CHECK_FALSE(has(v, attune::QualityFlag::share_answered));
  // A missing answer breaks a run: 8 threes, a gap, 9 threes -> 9 (flagged at 9).
  std::vector<double> gap(18, 3.0);
  gap[static_cast<std::size_t>(r.plan.item_index("q9"))] = NaN;
  q.score(gap.data(), 0, v, ws);
  CHECK(v.longstring == 9);
  CHECK(v.share_answered == Approx(17.0 / 18));
}

TEST_CASE("even-odd consistency: halves that agree pass, halves that disagree are flagged") {
  Raas r;
  attune::QualityScorer q(r.plan, {}, nullptr);
  attune::QualityScorer::Workspace ws;
  q.prepare(ws);
  REQUIRE(q.even_odd_available());
  // Odd halves: close q1 q8 q13, depend q2 q7 q16, anxiety q3 q9 q11; even halves the rest.
  auto fill = [&](double c_odd, double c_even, double d_odd, double d_even, double a_odd, double a_even) {
    return r.row({{"q1", c_odd}, {"q8", c_odd}, {"q13", c_odd}, {"q6", c_even}, {"q12", c_even}, {"q17", c_even},
                  {"q2", d_odd}, {"q7", d_odd}, {"q16", d_odd}, {"q5", d_even}, {"q14", d_even}, {"q18", d_even},
                  {"q3", a_odd}, {"q9", a_odd}, {"q11", a_odd}, {"q4", a_even}, {"q10", a_even}, {"q15", a_even}});
  };
  attune::QualityValues v;
  auto same = fill(1, 1, 3, 3, 5, 5);
  q.score(same.data(), 0, v, ws);
  CHECK(v.even_odd == Approx(1.0));
  CHECK_FALSE(has(v, attune::QualityFlag::even_odd));
  auto opposite = fill(1, 5, 3, 3, 5, 1);
  q.score(opposite.data(), 0, v, ws);
  CHECK(v.even_odd == Approx(-1.0));
  CHECK(has(v, attune::QualityFlag::even_odd));
  // Odd (1,3,5), even (2,3,3): r = 2 / sqrt(8 * 2/3) = 0.866025; Spearman-Brown 2r/(1+r) = 0.928203.
  auto partial = fill(1, 2, 3, 3, 5, 3);
  q.score(partial.data(), 0, v, ws);
  CHECK(v.even_odd == Approx(2 * 0.8660254037844386 / 1.8660254037844386).epsilon(1e-12));
  CHECK_FALSE(has(v, attune::QualityFlag::even_odd));
}

TEST_CASE("psychometric synonyms and Mahalanobis distance against a hand-made sample model") {
  Raas r;
  attune::QualityScorer q(r.plan, {}, toy_model(r.plan));
  attune::QualityScorer::Workspace ws;
  q.prepare(ws);
  attune::QualityValues v;
  std::vector<double> x(18, 3.0);
  auto set = [&](const char* id, double val) { x[static_cast<std::size_t>(r.plan.item_index(id))] = val; };
  set("q1", 1); set("q6", 1); set("q3", 3); set("q4", 3); set("q5", 5); set("q14", 5);
  q.score(x.data(), 0, v, ws);
  CHECK(v.synonyms == Approx(1.0));
  CHECK_FALSE(has(v, attune::QualityFlag::synonyms));
  // D^2 = sum (x - 3)^2 / 2 = (4 + 4 + 4 + 4) / 2 = 8 on 18 df: p close to 1, not flagged.
  CHECK(v.mahalanobis == Approx(8.0));
  CHECK(v.mahalanobis_p == Approx(chisq_upper_even(8, 18)).epsilon(1e-10));
  CHECK_FALSE(has(v, attune::QualityFlag::mahalanobis));
  set("q6", 5); set("q14", 1);  // synonyms now run against each other
  q.score(x.data(), 0, v, ws);
  CHECK(v.synonyms == Approx(-1.0));
  CHECK(has(v, attune::QualityFlag::synonyms));
  // Every answer 5: D^2 = 18 * 4 / 2 = 36 on 18 df, p = 0.00699: not below the default .001.
  std::vector<double> far(18, 5.0);
  q.score(far.data(), 0, v, ws);
  CHECK(v.mahalanobis == Approx(36.0));
  CHECK(v.mahalanobis_p == Approx(chisq_upper_even(36, 18)).epsilon(1e-10));
  CHECK_FALSE(has(v, attune::QualityFlag::mahalanobis));
  attune::QualityThresholds strict;
  strict.mahalanobis_p_below = 0.01;  // tunable: now it is caught
  attune::QualityScorer q2(r.plan, strict, toy_model(r.plan));
  q2.prepare(ws);
  q2.score(far.data(), 0, v, ws);
  CHECK(has(v, attune::QualityFlag::mahalanobis));
  // With two answers missing, the distance is over the 16 answered items: D^2 = 32, df 16.
  far[0] = NaN;
  far[1] = NaN;
  q.score(far.data(), 0, v, ws);
  CHECK(v.mahalanobis == Approx(32.0));
  CHECK(v.mahalanobis_p == Approx(chisq_upper_even(32, 16)).epsilon(1e-10));
}

TEST_CASE("Mahalanobis with correlated items and missing answers equals the direct formula on the answered items") {
  // Covariance S_ij = 0.5^|i-j| * (1 + i/10) (an AR(1) pattern, positive definite), means 2.5 + i/20.
  // Reference: D^2 = (x_o - mu_o)' (S_oo)^-1 (x_o - mu_o) by an LU solve of the answered block,
  // an algorithm the scorer does not use (it works from the inverse Cholesky factor and the Schur
  // complement of the precision matrix). Missing counts 0, 1, 3, 9 (the Schur path) and 12 (the direct one).
  Raas r;
  auto m = std::make_shared<attune::QualityModel>();
  const int P = 18;
  m->items = P;
  Eigen::MatrixXd S(P, P);
  for (int i = 0; i < P; ++i)
    for (int j = 0; j < P; ++j) S(i, j) = std::pow(0.5, std::abs(i - j)) * std::sqrt((1 + i / 10.0) * (1 + j / 10.0));
  Eigen::MatrixXd Sinv = S.inverse();
  for (int i = 0; i < P; ++i) m->mean.push_back(2.5 + i / 20.0);
  for (int i = 0; i < P; ++i)
    for (int j = 0; j < P; ++j) { m->cov.push_back(S(i, j)); m->cov_inverse.push_back(Sinv(i, j)); }
  attune::QualityScorer q(r.plan, {}, m);
  attune::QualityScorer::Workspace ws;
  q.prepare(ws);
  for (int missing : {0, 1, 3, 9, 12}) {
    std::vector<double> x(P);
    for (int i = 0; i < P; ++i) x[static_cast<std::size_t>(i)] = 1 + (i * 7 + missing) % 5;
    std::vector<int> o;
    for (int i = 0; i < P; ++i) {
      if ((i * 5 + 2) % P < missing) x[static_cast<std::size_t>(i)] = NaN;
      else o.push_back(i);
    }
    REQUIRE(static_cast<int>(o.size()) == P - missing);
    const auto n = static_cast<Eigen::Index>(o.size());
    Eigen::MatrixXd Soo(n, n);
    Eigen::VectorXd d(n);
    for (Eigen::Index a = 0; a < n; ++a) {
      d(a) = x[static_cast<std::size_t>(o[a])] - m->mean[static_cast<std::size_t>(o[a])];
      for (Eigen::Index b = 0; b < n; ++b) Soo(a, b) = S(o[a], o[b]);
    }
    const double expected = d.dot(Soo.partialPivLu().solve(d));
    attune::QualityValues v;
    q.score(x.data(), 0, v, ws);
    INFO("missing " << missing);
    CHECK(v.mahalanobis == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("quality columns (--quality) through the batch path: every row out, flags counted") {
  Raas r;
  // Row 1 consistent (keyed close 2, depend 3, anxiety 4: halves agree, answers vary); row 2 a straight line; row 3 an out-of-range 9 and a letter (an error row, still output);
  // row 4 half empty.
  std::string csv = "id";
  for (int p = 1; p <= 18; ++p) csv += ",q" + std::to_string(p);
  std::vector<std::pair<std::string, double>> keyed;
  for (const auto& s : r.ins.scales) {
    if (s.derived()) continue;
    for (const auto& it : s.items) keyed.emplace_back(it, s.id == "close" ? 2 : s.id == "depend" ? 3 : 4);
  }
  const std::vector<double> a = r.row(keyed);
  csv += "\nA";
  for (int p = 1; p <= 18; ++p) csv += "," + std::to_string(static_cast<int>(a[static_cast<std::size_t>(r.plan.item_index("q" + std::to_string(p)))]));
  csv += "\nB";
  for (int p = 1; p <= 18; ++p) csv += ",3";
  csv += "\nC";
  for (int p = 1; p <= 18; ++p) csv += p == 4 ? ",9" : p == 5 ? ",x" : ",2";
  csv += "\nD";
  for (int p = 1; p <= 18; ++p) csv += p <= 8 ? ",4" : ",";
  csv += "\n";
  std::FILE* in = std::tmpfile();
  std::fwrite(csv.data(), 1, csv.size(), in);
  std::rewind(in);
  std::FILE* out = std::tmpfile();
  attune::QualityScorer scorer(r.plan, {}, nullptr);
  attune::BatchOptions bo;
  bo.quality = &scorer;
  attune::batch::set_chunk_bytes(bo, 64);
  bo.threads = 2;
  std::vector<attune::RowError> errors;
  auto sum = attune::score_csv(r.plan, in, "t.csv", out, bo, [&](const attune::RowError& e) { errors.push_back(e); });
  CHECK(sum.rows_in == 4);
  CHECK(sum.rows_reported == 1);
  std::rewind(out);
  std::string text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  std::fclose(in);
  std::fclose(out);
  std::vector<std::vector<std::string>> rows;
  std::istringstream ls(text);
  for (std::string line; std::getline(ls, line);) {
    std::vector<std::string> f;
    std::string cell;
    std::istringstream cs(line);
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) { f.push_back(cell); cell.clear(); }
      else cell += c;
    }
    f.push_back(cell);
    rows.push_back(f);
  }
  REQUIRE(rows.size() == 5);  // header + rows in = rows out
  auto col = [&](const std::string& name) {
    for (std::size_t i = 0; i < rows[0].size(); ++i) if (rows[0][i] == name) return i;
    FAIL("no column " << name);
    return std::size_t{0};
  };
  const auto ls_col = col("longstring"), fl = col("quality_flags"), oor = col("out_of_range"), share = col("share_answered");
  CHECK(rows[1][fl].empty());
  CHECK(rows[2][ls_col] == "18");
  CHECK(rows[2][fl] == "longstring|irv");
  CHECK(rows[3][oor] == "2");  // the 9 and the x
  CHECK(rows[3][fl] == "out_of_range");
  CHECK(rows[4][share] == "0.444444");
  CHECK(rows[4][fl].find("share_answered") != std::string::npos);
  CHECK(sum.quality_flagged[static_cast<int>(attune::QualityFlag::longstring)] == 1);
  CHECK(sum.quality_flagged[static_cast<int>(attune::QualityFlag::out_of_range)] == 1);
  CHECK(sum.quality_flagged[static_cast<int>(attune::QualityFlag::share_answered)] == 1);
  CHECK(sum.quality_any == 3);
}

// The closed forms behind mahalanobis_p against R and against Boost.Math's incomplete gamma.
TEST_CASE("chi-square upper tail: closed forms for whole df match R and Boost") {
  // Rscript -e 'options(digits=17); pchisq(x, df, lower.tail = FALSE)' for each (df, x) below.
  struct Ref { std::size_t df; double x, p; };
  const Ref refs[] = {
      {1, 0.5, 0.47950012218695348},    {2, 3, 0.22313016014842982},      {3, 7.2, 0.065789052685071001},
      {5, 0.001, 0.99999999831851227},  {18, 20, 0.33281967875071894},    {35, 40, 0.25778138125313083},
      {36, 0.01, 0.99999999999999989},  {36, 150, 7.2848650372656025e-16}, {36, 1100, 1.5372402683252705e-207},
      {71, 80, 0.21741999033508405},    {300, 310, 0.33325434885913618},
  };
  for (const Ref& r : refs) {
    INFO("df " << r.df << ", x " << r.x);
    CHECK(attune::detail::chisq_upper(r.df, r.x) == Approx(r.p).epsilon(1e-13));
  }
  // Every df an instrument can have (1..256 answered items) on a grid of distances, against Boost.
  using policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  double worst = 0;
  for (std::size_t df = 1; df <= 256; ++df) {
    for (double x : {0.0, 1e-6, 0.3, 1.0, 2.5, 0.5 * df, 1.0 * df, 1.5 * df + 3, 3.0 * df + 10, 900.0, 1199.0}) {
      const double want = boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double, policy>(static_cast<double>(df)), x));
      const double got = attune::detail::chisq_upper(df, x);
      if (want > 1e-300) worst = std::max(worst, std::abs(got - want) / want);
      else CHECK(got < 1e-290);
    }
  }
  CHECK(worst < 1e-13);
}

// The block's p values come from chisq_upper_rows: eight rows of one df in vector lanes, the rest
// one by one. Each must be chisq_upper's value to the bit, whatever its neighbours' df.
TEST_CASE("chi-square upper tail of many rows equals the one-row form bit for bit") {
  std::vector<std::size_t> df;
  std::vector<double> x;
  std::uint32_t state = 7;
  auto next = [&] { state = state * 1664525u + 1013904223u; return state >> 8; };
  for (int run = 0; run < 400; ++run) {
    // Runs of one df (8, 9 or 17 long: whole groups and a remainder) and single rows between
    // them; even and odd df, 1 and 2, the 256 / 257 edge, and distances past 1200 (Boost).
    const std::size_t d = (run % 7 == 0) ? 256 + next() % 2 : 1 + next() % 60;
    const std::size_t len = run % 3 == 0 ? 1 : run % 3 == 1 ? 8 + next() % 2 : 17;
    for (std::size_t l = 0; l < len; ++l) {
      df.push_back(d);
      const double u = static_cast<double>(next() % 100000) / 100000.0;
      x.push_back(run % 11 == 0 && l == 3 ? 1250.0 : u * 3.0 * static_cast<double>(d) + (l == 5 ? 0.0 : 0.001));
    }
  }
  std::vector<double> got(df.size());
  attune::detail::chisq_upper_rows(df.data(), x.data(), df.size(), got.data());
  std::size_t differ = 0;
  for (std::size_t r = 0; r < df.size(); ++r) {
    const double want = attune::detail::chisq_upper(df[r], x[r]);
    if (std::memcmp(&want, &got[r], sizeof want) != 0) ++differ;
  }
  CHECK(df.size() > 3000);
  CHECK(differ == 0);
}

// The indices on the shared real ECR data against base R (tools/r/reference_quality.R, which writes them
// with rle, sd, cor, mahalanobis and pchisq): every 25th row's values, and every flag's count over all
// 51,491 rows. attune sums integers exactly and R does not, so 1e-9 checks both; the output is printed
// at 9 decimals, which is the rest of the allowance.
TEST_CASE("quality indices match base R on the shared real ECR data, row by row and in the flag counts") {
  const std::string data = attune_test::shared_data("ecr-openpsychometrics/data.csv");
  if (!attune_test::file_exists(data)) {
    WARN("shared real ECR data not found at " << data << "; skipped");
    return;
  }
  attune::ScoringOptions so;
  so.data_scale = attune::ResponseScale{1, 5, {}};
  const attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument("ecr"), so);
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse("Q{n}");
  bo.missing_codes = {"0"};
  bo.decimals = 9;
  bo.row_numbers = true;

  std::FILE* in = std::fopen(data.c_str(), "rb");
  REQUIRE(in);
  attune::ReliabilityAccumulator sums(plan, /*all_items_block=*/true);
  attune::ParsedRows kept;
  auto model = std::make_shared<attune::QualityModel>(attune::read_quality_model(plan, in, data, bo, sums, {}, &kept));
  attune::QualityScorer scorer(plan, attune::QualityThresholds{}, model);
  bo.quality = &scorer;
  const attune_test::BatchRun run = attune_test::run_batch_open(plan, in, data, bo, &kept);
  std::fclose(in);

  const std::string summary_path = attune_test::row_reference("ecr_openpsychometrics_quality.json");
  if (summary_path.empty()) {
    WARN("the quality reference of the real data is made at test time (tools/r/make_row_references.sh): skipped");
    return;
  }
  const nlohmann::json ref = nlohmann::json::parse(std::ifstream(summary_path));
  REQUIRE(run.summary.rows_in == ref["n_rows"].get<std::size_t>());
  CHECK(run.summary.rows_reported == 0);

  // The synonym pairs: R names columns Q<position>, the model holds item indices (position - 1).
  std::vector<std::pair<int, int>> want;
  for (const auto& p : ref["synonym_pairs"])
    want.emplace_back(std::stoi(p[0].get<std::string>().substr(1)) - 1, std::stoi(p[1].get<std::string>().substr(1)) - 1);
  auto got = model->synonym_pairs;
  for (auto& p : got) if (p.first > p.second) std::swap(p.first, p.second);
  std::sort(got.begin(), got.end());
  CHECK(got == want);

  for (const auto f : {attune::QualityFlag::longstring, attune::QualityFlag::irv, attune::QualityFlag::synonyms,
                       attune::QualityFlag::mahalanobis, attune::QualityFlag::share_answered}) {
    INFO("flag " << attune::to_string(f));
    CHECK(run.summary.quality_flagged[static_cast<std::size_t>(f)] == ref["flagged"][attune::to_string(f)].get<std::size_t>());
  }
  CHECK(run.summary.quality_any == ref["any"].get<std::size_t>());

  const attune_test::Table out = attune_test::read_table_text(run.output);
  const std::string ref_path = attune_test::row_reference("ecr_openpsychometrics_quality.csv");
  if (ref_path.empty()) {
    WARN("row-level reference absent (tools/r/make_row_references.sh): the every-25th-row comparison is skipped");
    return;
  }
  const attune_test::Table r = attune_test::read_table(ref_path);
  REQUIRE(r.rows.size() == 2060);
  const int out_row = out.col("row");
  std::size_t compared = 0;
  for (const auto& want_row : r.rows) {
    const std::size_t row = std::stoul(want_row[static_cast<std::size_t>(r.col("row"))]);
    REQUIRE(row <= out.rows.size());
    const auto& got_row = out.rows[row - 1];
    REQUIRE(std::stoul(got_row[static_cast<std::size_t>(out_row)]) == row);
    for (const char* c : {"longstring", "irv", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered"}) {
      const std::string& w = want_row[static_cast<std::size_t>(r.col(c))];
      const std::string& g = got_row[static_cast<std::size_t>(out.col(c))];
      INFO("row " << row << ", column " << c << ": R " << w << ", attune " << g);
      REQUIRE(w.empty() == g.empty());
      if (w.empty()) continue;
      const double wv = std::stod(w), gv = std::stod(g);
      CHECK(std::fabs(gv - wv) <= 1e-9 + 1e-12 * std::fabs(wv));
      ++compared;
    }
  }
  CHECK(compared > 2060 * 5);  // nearly every cell has a value; a column left empty would fail here
}

// Even-odd consistency (empty on the ECR, which has two scales) and the other indices that need no
// sample model, on a synthetic ECR-RS sample with eight item scales that base R made and scored
// (tools/r/reference_even_odd.R): random responders, straight-liners, scattered gaps and a skipped
// domain. Every row's values to 1e-9 at 9 printed decimals, and each flag's count.
TEST_CASE("even-odd consistency and the model-free indices match base R on eight ECR-RS scales") {
  const attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument("ecr-rs"));
  attune::QualityScorer scorer(plan, attune::QualityThresholds{}, nullptr);
  REQUIRE(scorer.even_odd_available());
  attune::BatchOptions bo;
  bo.quality = &scorer;
  bo.decimals = 9;
  attune::batch::set_chunk_bytes(bo, 4096);  // several chunks across both threads
  bo.threads = 2;
  const attune_test::BatchRun run = attune_test::run_batch(plan, attune_test::source_path("tests/reference/ecr_rs_quality_input.csv"), bo);
  const nlohmann::json ref = nlohmann::json::parse(std::ifstream(attune_test::source_path("tests/reference/ecr_rs_quality.json")));
  REQUIRE(run.summary.rows_in == ref["n_rows"].get<std::size_t>());
  for (const auto f : {attune::QualityFlag::even_odd, attune::QualityFlag::longstring, attune::QualityFlag::irv,
                       attune::QualityFlag::share_answered}) {
    INFO("flag " << attune::to_string(f));
    CHECK(run.summary.quality_flagged[static_cast<std::size_t>(f)] == ref["flagged"][attune::to_string(f)].get<std::size_t>());
  }

  const attune_test::Table out = attune_test::read_table_text(run.output);
  const attune_test::Table r = attune_test::read_table(attune_test::source_path("tests/reference/ecr_rs_quality.csv"));
  REQUIRE(out.rows.size() == r.rows.size());
  std::size_t even_odd_values = 0;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    REQUIRE(out.rows[i][static_cast<std::size_t>(out.col("id"))] == r.rows[i][static_cast<std::size_t>(r.col("id"))]);
    for (const char* c : {"even_odd", "longstring", "irv", "share_answered"}) {
      const std::string& w = r.rows[i][static_cast<std::size_t>(r.col(c))];
      const std::string& g = out.rows[i][static_cast<std::size_t>(out.col(c))];
      INFO("row " << i + 1 << ", column " << c << ": R " << w << ", attune " << g);
      REQUIRE(w.empty() == g.empty());
      if (w.empty()) continue;
      CHECK(std::fabs(std::stod(g) - std::stod(w)) <= 1e-9);
      even_odd_values += std::string(c) == "even_odd";
    }
  }
  CHECK(even_odd_values == ref["even_odd_computed"].get<std::size_t>());
}

// read_quality_model: the first reading leaves the file where it found it, and says plainly when
// it cannot read twice or was handed sums without the all-items block.
TEST_CASE("the quality model's first reading rewinds to its start and refuses what it cannot read twice") {
  const attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument("ecr-r"));
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse("Q{n}");
  // The CSV starts after a line of something else, so "where it started" is not the file's start.
  std::ifstream src(attune_test::source_path("examples/data/ecr-r-synthetic.csv"));
  const std::string csv((std::istreambuf_iterator<char>(src)), std::istreambuf_iterator<char>());
  const std::string preamble = "exported by a survey tool\n";
  std::FILE* in = std::tmpfile();
  REQUIRE(in);
  std::fwrite(preamble.data(), 1, preamble.size(), in);
  std::fwrite(csv.data(), 1, csv.size(), in);
  std::fseek(in, static_cast<long>(preamble.size()), SEEK_SET);
  attune::ReliabilityAccumulator sums(plan, true);
  const attune::QualityModel model = attune::read_quality_model(plan, in, "t.csv", bo, sums);
  CHECK(std::ftell(in) == static_cast<long>(preamble.size()));
  CHECK(model.rows == 497);  // the three bad rows are skipped, not counted
  attune::ReliabilityAccumulator scales_only(plan, false);
  CHECK_THROWS_AS(attune::read_quality_model(plan, in, "t.csv", bo, scales_only), attune::UsageError);
  std::fclose(in);

  std::FILE* pipe = ::popen("printf 'Q1,Q2\\n1,2\\n'", "r");
  REQUIRE(pipe);
  attune::ReliabilityAccumulator piped(plan, true);
  try {
    attune::read_quality_model(plan, pipe, "<pipe>", bo, piped);
    FAIL("a pipe cannot be read twice, yet the first reading went ahead");
  } catch (const attune::UsageError& e) {
    CHECK(std::string(e.what()).find("<pipe>") != std::string::npos);
  }
  ::pclose(pipe);
}
