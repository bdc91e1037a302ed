// Reliability statistics against R psych 2.2.9 (tests/reference/*_reliability.json, made by
// tools/r/reference_reliability.R -- an independent implementation), and chunk/thread invariance.
#include "support/helpers.hpp"

#include <attune/attune.hpp>
#include <attune/reliability.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include "../src/batch/tuning.hpp"
#include "../src/stats/reliability_accumulator.hpp"
#include "../src/stats/sums_scratch.hpp"

using nlohmann::json;

namespace {

const std::string kSourceRoot = ATTUNE_TEST_SOURCE_DIR;
const std::string kShared = ATTUNE_TEST_SHARED_DATA;

json load_json(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return json::parse(in);
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

// Every sum of two blocks is equal; the cross-products on the upper triangle (the part in use).
void check_same_sums(const attune::ReliabilitySums& a, const attune::ReliabilitySums& b) {
  CHECK(a.rows == b.rows);
  CHECK(a.rows_any == b.rows_any);
  CHECK(a.n_complete == b.n_complete);
  CHECK(a.c_sum == b.c_sum);
  CHECK(a.c_freq == b.c_freq);
  CHECK(a.p_freq == b.p_freq);
  CHECK(a.p_n == b.p_n);
  CHECK(a.p_sx == b.p_sx);
  CHECK(a.p_sxx == b.p_sxx);
  REQUIRE(a.k() == b.k());
  const std::size_t k = a.k();
  std::string differ;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i; j < k; ++j)
      if (a.c_cross[i * k + j] != b.c_cross[i * k + j] || a.p_sxy[i * k + j] != b.p_sxy[i * k + j])
        differ += " (" + std::to_string(i) + "," + std::to_string(j) + ")";
  INFO("cross-products differ at" << differ);
  CHECK(differ.empty());
}

struct Run {
  std::unique_ptr<attune::ReliabilityAccumulator> acc;
  attune::BatchSummary summary;
};

Run accumulate(const attune::ScoringPlan& plan, const std::string& csv, attune::BatchOptions bo) {
  Run r;
  r.acc = std::make_unique<attune::ReliabilityAccumulator>(plan, true);
  bo.accumulators = {r.acc.get()};
  std::FILE* in = std::fopen(csv.c_str(), "rb");
  REQUIRE(in);
  std::FILE* out = std::fopen("/dev/null", "wb");
  r.summary = attune::score_csv(plan, in, csv, out, bo, [](const attune::RowError&) {});
  std::fclose(in);
  std::fclose(out);
  return r;
}

// Column name in the reference ("Q<position>") for an item id.
std::string column_of(const attune::Instrument& ins, const std::string& item) {
  return "Q" + std::to_string(ins.find_item(item)->position);
}

void check_close(const json& ref, double got, double tol, const std::string& what) {
  INFO(what << ": attune " << got << ", psych " << ref);
  REQUIRE(ref.is_number());
  CHECK(std::abs(got - ref.get<double>()) <= tol);
}

// Compares one block (pairwise, or the reference's "listwise" block) with the report.
void compare(const json& ref, const attune::ScaleReliability& s, const attune::Instrument& ins, double reverse_sum) {
  const double closed = 1e-9, iterative = 1e-6;
  CHECK(s.n == ref["n"].get<double>());
  CHECK(s.n_complete == ref["n_complete"].get<double>());
  check_close(ref["alpha"], s.alpha, closed, s.id + " alpha");
  check_close(ref["std_alpha"], s.std_alpha, closed, s.id + " std_alpha");
  check_close(ref["lambda6"], s.lambda6, closed, s.id + " lambda6");
  check_close(ref["average_r"], s.average_r, closed, s.id + " average_r");
  check_close(ref["median_r"], s.median_r, closed, s.id + " median_r");
  check_close(ref["ase"], s.ase, closed, s.id + " ase");
  check_close(ref["alpha_ci_feldt"]["lower"], s.alpha_ci_feldt.lower, closed, s.id + " feldt lower");
  check_close(ref["alpha_ci_feldt"]["upper"], s.alpha_ci_feldt.upper, closed, s.id + " feldt upper");
  check_close(ref["alpha_ci_duhachek"]["lower"], s.alpha_ci_duhachek.lower, closed, s.id + " duhachek lower");
  check_close(ref["alpha_ci_duhachek"]["upper"], s.alpha_ci_duhachek.upper, closed, s.id + " duhachek upper");
  check_close(ref["omega_total"], s.omega_total, iterative, s.id + " omega_total");
  REQUIRE(s.items.size() == ref["items"].size());
  for (const auto& it : s.items) {
    const json& r = ref["items"][column_of(ins, it.id)];
    const std::string w = s.id + " " + it.id;
    CHECK(it.n == r["n"].get<double>());
    check_close(r["r_drop"], it.r_drop, closed, w + " r_drop");
    check_close(r["r_cor"], it.r_cor, closed, w + " r_cor");
    check_close(r["alpha_if_deleted"], it.alpha_if_deleted, closed, w + " alpha_if_deleted");
    check_close(r["mean"], it.mean, closed, w + " mean");
    check_close(r["sd"], it.sd, closed, w + " sd");
    check_close(r["response_freq"]["miss"], it.missing_share, closed, w + " miss");
    // psych tabulates the keyed values; attune reports the answers as given.
    for (const auto& [value, share] : it.frequencies) {
      const int keyed = it.reversed ? static_cast<int>(reverse_sum) - value : value;
      const auto key = std::to_string(keyed);
      if (r["response_freq"].contains(key)) check_close(r["response_freq"][key], share, closed, w + " freq " + key);
      else CHECK(share == 0);
    }
  }
}

void compare_dataset(const json& ref, const attune::ReliabilityAccumulator& acc, const attune::Instrument& ins, double rsum) {
  auto pw = attune::reliability(acc);
  attune::ReliabilityOptions lo;
  lo.missing = attune::MissingHandling::listwise;
  auto lw = attune::reliability(acc, lo);
  REQUIRE(pw.scales.size() == ref["scales"].size());
  for (std::size_t s = 0; s < pw.scales.size(); ++s) {
    const json& r = ref["scales"][pw.scales[s].id];
    SECTION("pairwise " + pw.scales[s].id) { compare(r, pw.scales[s], ins, rsum); }
    SECTION("listwise " + pw.scales[s].id) { compare(r["listwise"], lw.scales[s], ins, rsum); }
  }
  CHECK(pw.warnings.empty());  // correctly keyed published scales
}

}  // namespace

TEST_CASE("reliability matches psych on the synthetic ECR-R example") {
  attune::Instrument ins = attune::load_instrument("ecr-r");
  attune::ScoringPlan plan = attune::ScoringPlan::compile(ins);
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse("Q{n}");
  Run r = accumulate(plan, kSourceRoot + "/examples/data/ecr-r-synthetic.csv", bo);
  REQUIRE(r.summary.rows_reported == 3);  // P0100, P0200, P0300: excluded as in the R script
  compare_dataset(load_json(kSourceRoot + "/tests/reference/ecr_r_synthetic_reliability.json"), *r.acc, ins, 8);
}

TEST_CASE("reliability matches psych on the shared real ECR data") {
  const std::string data = kShared + "/ecr-openpsychometrics/data.csv";
  if (!exists(data)) {
    WARN("shared real ECR data not found at " << data << "; skipped");
    return;
  }
  attune::Instrument ins = attune::load_instrument("ecr");
  attune::ScoringOptions so;
  so.data_scale = attune::ResponseScale{1, 5, {}};
  attune::ScoringPlan plan = attune::ScoringPlan::compile(ins, so);
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse("Q{n}");
  bo.missing_codes = {"0"};
  Run r = accumulate(plan, data, bo);
  REQUIRE(r.summary.rows_in == 51491);
  const std::string ref_path = attune_test::row_reference("ecr_openpsychometrics_reliability.json");
  if (ref_path.empty()) {
    WARN("psych's reliability of the real data is made at test time (tools/r/make_row_references.sh): skipped");
    return;
  }
  compare_dataset(load_json(ref_path), *r.acc, ins, 6);
}

TEST_CASE("reliability sums do not depend on chunk size or thread count") {
  attune::Instrument ins = attune::load_instrument("ecr-r");
  attune::ScoringPlan plan = attune::ScoringPlan::compile(ins);
  attune::BatchOptions one;
  one.mapping = attune::ColumnMapping::parse("Q{n}");
  one.threads = 1;
  attune::BatchOptions many = one;
  many.threads = 3;
  attune::batch::set_chunk_bytes(many, 1500);  // about 15 rows per chunk: dozens of chunks merged out of order of completion
  const std::string csv = kSourceRoot + "/examples/data/ecr-r-synthetic.csv";
  Run a = accumulate(plan, csv, one), b = accumulate(plan, csv, many);
  REQUIRE(a.acc->scales().size() == b.acc->scales().size());
  auto same = [](const attune::ReliabilitySums& x, const attune::ReliabilitySums& y) {
    return x.rows == y.rows && x.rows_any == y.rows_any && x.n_complete == y.n_complete && x.c_sum == y.c_sum &&
           x.c_cross == y.c_cross && x.p_n == y.p_n && x.p_sx == y.p_sx && x.p_sxx == y.p_sxx && x.p_sxy == y.p_sxy &&
           x.c_freq == y.c_freq && x.p_freq == y.p_freq;
  };
  for (std::size_t s = 0; s < a.acc->scales().size(); ++s) CHECK(same(a.acc->scales()[s], b.acc->scales()[s]));
  REQUIRE(a.acc->all_items());
  CHECK(same(*a.acc->all_items(), *b.acc->all_items()));
  // And so the reports are identical to the last bit.
  CHECK(attune::to_json(attune::reliability(*a.acc)) == attune::to_json(attune::reliability(*b.acc)));
}

TEST_CASE("a miskeyed item is reported by id with its r.drop") {
  // Four items that measure one thing; the key says item d is reversed although it is not.
  // Rows where a, b, c, d rise together (so keyed d = 6 - d falls): r.drop of keyed d is negative.
  // By hand for d against a+b+c on rows (1,1,2,1) (2,2,2,2) (3,3,4,3) (4,4,4,4) (5,5,5,5): keyed d is
  // 5,4,3,2,1 while a+b+c rises 4,6,10,12,15 -> correlation -0.98, so d is flagged and a, b, c are not.
  attune::ReliabilitySums s;
  s.scale = "t";
  s.items = {0, 1, 2, 3};
  s.reversed = {0, 0, 0, 1};
  s.reset(4, 1, 5);
  const double rows[5][4] = {{1, 1, 2, 1}, {2, 2, 2, 2}, {3, 3, 4, 3}, {4, 4, 4, 4}, {5, 5, 5, 5}};
  for (const auto& row : rows) {
    double keyed[4] = {row[0], row[1], row[2], 6 - row[3]};
    s.add_row(keyed);
  }
  auto rel = attune::scale_reliability(s, {"a", "b", "c", "d"});
  REQUIRE(rel.warnings.size() == 1);
  CHECK(rel.warnings[0].item == "d");
  CHECK(rel.warnings[0].reversed);
  CHECK(rel.warnings[0].r_drop < -0.9);
  CHECK(rel.warnings[0].message.find("item d") != std::string::npos);
  for (const auto& it : rel.items) {
    if (it.id != "d") CHECK(it.r_drop > 0);
  }
}

// add_rows sums blocks by matrix products; add_row is the definition written out pair by pair.
// Whole-number answers keep every sum exact, so the two must agree bit for bit.
TEST_CASE("block sums (matrix products) equal the row-by-row sums exactly") {
  // Scales 1..5 (the usual), 0..10 (packed, with answer counts, and 0 an answer: the zeros that
  // stand for missing cells and the padding row must not count), -127..127 (the widest the 16-bit
  // products take: a lane sums two products of 127^2; too wide for counts), 0..600 and 0..5000
  // (summed in double). 7 items fit one 8-wide tile, 37 take several, with a part-filled last one;
  // 1000 rows make whole pairs, 2999 leave one row unpaired.
  const int vmax = GENERATE(5, 10, 127, 600, 5000);
  const int vmin = vmax == 5 ? 1 : vmax == 127 ? -127 : 0;
  const std::size_t k = GENERATE(7, 37);
  const std::size_t n = GENERATE(1000, 2999);  // 2999: an odd count, and add_rows takes 1024 rows at a time
  INFO("scale " << vmin << ".." << vmax << ", " << k << " items, " << n << " rows");
  std::vector<double> x(n * k);
  std::uint32_t state = 12345;
  auto next = [&] { state = state * 1664525u + 1013904223u; return state >> 8; };
  // About 10% missing cells with 7 items, 1% with 37, so that both kinds of row are common.
  for (auto& v : x) v = (next() % (k > 10 ? 100 : 10) == 0) ? std::nan("") : static_cast<double>(vmin + static_cast<int>(next() % static_cast<std::uint32_t>(vmax - vmin + 1)));
  for (std::size_t i = 0; i < k; ++i) x[10 * k + i] = std::nan("");  // a row with nothing answered
  attune::ReliabilitySums a, b;
  for (auto* s : {&a, &b}) {
    for (std::size_t i = 0; i < k; ++i) { s->items.push_back(static_cast<int>(i)); s->reversed.push_back(0); }
    s->reset(k, vmin, vmax);
  }
  for (std::size_t r = 0; r < n; ++r) a.add_row(&x[r * k]);
  std::vector<std::uint8_t> complete(n, 9);
  b.add_rows(x.data(), 300, complete.data());
  b.add_rows(x.data() + 300 * k, n - 300, complete.data() + 300);
  CHECK(a.n_complete > 100);
  CHECK(a.rows_any == n - 1);
  check_same_sums(a, b);
  for (std::size_t r = 0; r < n; ++r) {
    bool all = true;
    for (std::size_t i = 0; i < k; ++i) all = all && !std::isnan(x[r * k + i]);
    if (complete[r] != (all ? 1 : 0)) FAIL("row " << r << " marked complete = " << int(complete[r]));
  }
  if (vmax <= 127) {
    // The same answers as bytes (-128 = missing): packed straight from them (1..5, 0..10), or
    // through doubles where there are no answer counts (-127..127).
    std::vector<std::int8_t> bytes(n * k);
    for (std::size_t c = 0; c < n * k; ++c) bytes[c] = std::isnan(x[c]) ? attune::detail::kNotAnsweredByte : static_cast<std::int8_t>(x[c]);
    attune::ReliabilitySums c;
    c.items = a.items;
    c.reversed = a.reversed;
    c.reset(k, vmin, vmax);
    std::vector<std::uint8_t> complete_b(n, 9);
    attune::detail::add_byte_rows(c, bytes.data(), 301, complete_b.data());
    attune::detail::add_byte_rows(c, bytes.data() + 301 * k, n - 301, complete_b.data() + 301);
    check_same_sums(a, c);
    CHECK(complete_b == complete);
  }
}

// The accumulator sums only the all-items block row by row and derives each scale's keyed sums
// from it (plus the scale's complete rows among the rows that miss another item). The definition
// is each scale's own block fed its keyed answers row by row (add_row); the two must agree exactly.
TEST_CASE("scale sums derived from the all-items block equal the scale's own keyed sums") {
  // Both 1..7 with reverse-keyed items on two scales: ECR-R's scales are runs of consecutive
  // items, ECR's alternate.
  const std::string id = GENERATE(std::string("ecr-r"), std::string("ecr"));
  INFO(id);
  attune::Instrument ins = attune::load_instrument(id);
  attune::ScoringPlan plan = attune::ScoringPlan::compile(ins);
  const std::size_t P = plan.item_count(), n = 3000;
  // Four kinds of row: complete; missing items on one scale only (complete on the other); missing
  // on both; nothing answered. Error rows (scored = 0) must not count at all.
  std::vector<double> x(n * P);
  std::vector<std::uint8_t> scored(n, 1);
  std::uint32_t state = 99;
  auto next = [&] { state = state * 1664525u + 1013904223u; return state >> 8; };
  for (std::size_t r = 0; r < n; ++r) {
    const unsigned kind = r % 4;
    for (std::size_t i = 0; i < P; ++i) {
      double v = 1 + static_cast<double>(next() % 7);
      const auto& s0 = ins.scales[0].items;
      const bool first_scale = std::find(s0.begin(), s0.end(), ins.items[i].id) != s0.end();
      if (kind == 1 && first_scale && next() % 6 == 0) v = std::nan("");
      if (kind == 2 && next() % 9 == 0) v = std::nan("");
      if (r % 97 == 3) v = std::nan("");
      x[r * P + i] = v;
    }
    if (r % 101 == 5) {
      scored[r] = 0;
      for (std::size_t i = 0; i < P; ++i) x[r * P + i] = std::nan("");
    }
  }
  attune::ReliabilityAccumulator acc(plan);
  acc.add_rows(x.data(), 1700, scored.data());
  acc.add_rows(x.data() + 1700 * P, n - 1700, scored.data() + 1700);
  const auto& got = acc.scales();
  REQUIRE(got.size() == 2);
  // The same answers as bytes give the same sums.
  std::vector<std::int8_t> bytes(n * P);
  for (std::size_t c = 0; c < n * P; ++c) bytes[c] = std::isnan(x[c]) ? attune::detail::kNotAnsweredByte : static_cast<std::int8_t>(x[c]);
  attune::ReliabilityAccumulator acc_b(plan);
  auto& impl_b = static_cast<attune::ReliabilityAccumulator::Impl&>(*attune::detail::ByteAccumulator::of(acc_b));
  impl_b.add_rows(bytes.data(), 1111, scored.data());
  impl_b.add_rows(bytes.data() + 1111 * P, n - 1111, scored.data() + 1111);
  REQUIRE(acc_b.scales().size() == 2);
  for (std::size_t s = 0; s < 2; ++s) check_same_sums(acc_b.scales()[s], got[s]);
  for (const attune::ReliabilitySums& g : got) {
    INFO("scale " << g.scale);
    attune::ReliabilitySums want;
    want.scale = g.scale;
    want.items = g.items;
    want.reversed = g.reversed;
    want.reset(g.k(), 1, 7);
    std::vector<double> keyed(g.k());
    for (std::size_t r = 0; r < n; ++r) {
      if (!scored[r]) continue;
      for (std::size_t m = 0; m < g.k(); ++m) {
        const double v = x[r * P + static_cast<std::size_t>(g.items[m])];
        keyed[m] = g.reversed[m] ? 8 - v : v;
      }
      want.add_row(keyed.data());
    }
    CHECK(std::count(g.reversed.begin(), g.reversed.end(), 1) > 0);
    CHECK(want.n_complete > 100);
    CHECK(want.rows_any - want.n_complete > 100);
    check_same_sums(g, want);
  }
}
