// The response scale and the key, checked against the data (issue 18, section 1; docs/audit.md).
#include <attune/attune.hpp>
#include <attune/audit.hpp>
#include <attune/reliability.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/helpers.hpp"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include "../src/batch/tuning.hpp"
#include "../src/stats/scale_usage.hpp"

using attune_test::q_map;

namespace {

// ECR-shaped answers from a graded model: each person has an avoidance and an anxiety level; an
// item's answer is its scale's level times 0.8 plus noise, cut into `top` - `bottom` + 1 equal-
// probability-ish categories, and reverse-keyed items are written reversed (bottom + top - x), as a
// questionnaire records them. With `file_keyed`, the reverse-keyed items are written as keyed
// already (an export that reversed them). Box-Muller on mt19937: the same numbers everywhere.
std::string ecr_like_csv(std::size_t rows, int bottom, int top, bool file_keyed = false, std::uint32_t seed = 18) {
  const std::set<int> reversed = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35};
  std::mt19937 gen(seed);
  auto normal = [&gen] {
    const double u1 = (static_cast<double>(gen()) + 1.0) / 4294967297.0, u2 = static_cast<double>(gen()) / 4294967296.0;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  };
  std::ostringstream o;
  for (int q = 1; q <= 36; ++q) o << (q > 1 ? "," : "") << "Q" << q;
  o << "\n";
  const int k = top - bottom + 1;
  for (std::size_t r = 0; r < rows; ++r) {
    const double avoid = normal(), anx = normal();
    for (int q = 1; q <= 36; ++q) {
      const double y = 0.8 * (q % 2 ? avoid : anx) + 0.6 * normal();
      // Cut points spread over -1.6..1.6: every category gets used in a few hundred rows.
      int c = 0;
      while (c < k - 1 && y > -1.6 + 3.2 * (c + 1) / k) ++c;
      int x = bottom + c;
      if (reversed.count(q) && !file_keyed) x = bottom + top - x;
      o << (q > 1 ? "," : "") << x;
    }
    o << "\n";
  }
  return o.str();
}


attune::ScaleCheck usage_check(const attune::ScoringPlan& plan, const std::string& csv) {
  attune::ScaleUsageAccumulator usage(plan);
  attune::BatchOptions bo = q_map();
  bo.accumulators = {&usage};
  attune_test::run_batch_text(plan, csv, bo);
  return attune::check_scale(usage);
}

attune::ScoringPlan ecr_on(int bottom, int top) {
  attune::ScoringOptions so;
  so.data_scale = attune::ResponseScale{bottom, top, {}};
  return attune::ScoringPlan::compile(attune::load_instrument("ecr"), so);
}

// The shipped ECR with its reverse keys changed: `keep` decides per scale and item.
attune::Instrument ecr_with_keys(const std::function<bool(const std::string&, const std::string&)>& keep) {
  attune::Instrument ins = attune::load_instrument("ecr");
  for (auto& s : ins.scales) {
    std::vector<std::string> rev;
    for (const auto& i : s.reverse)
      if (keep(s.id, i)) rev.push_back(i);
    s.reverse = rev;
  }
  return attune::Instrument::from_json_text(ins.to_json(), "ecr with changed keys");
}

}  // namespace

TEST_CASE("scale check: answers that never reach the top of the declared scale over 200 rows do not fit it") {
  const std::string csv = ecr_like_csv(250, 1, 5);
  const attune::ScoringPlan ecr7 = attune_test::plan_for("ecr");  // declared: the instrument's 1..7
  const attune::ScaleCheck c = usage_check(ecr7, csv);
  CHECK(c.judged);
  CHECK(c.rows == 250);
  CHECK(c.lowest == 1);
  CHECK(c.highest == 5);
  CHECK(c.top_unused);
  CHECK_FALSE(c.bottom_unused);
  CHECK_FALSE(c.fits());
  const std::string w = c.warning();
  INFO(w);
  CHECK(w.find("no item has an answer at 7 (its top)") != std::string::npos);
  CHECK(w.find("they run 1..5") != std::string::npos);
  CHECK(w.find("add --response-scale 1..5") != std::string::npos);
  CHECK(w.find("6 - x, not 8 - x") != std::string::npos);
  CHECK(w.find("--response-scale-confirmed") != std::string::npos);
  const attune::ResponseScaleStatus st = c.status();
  CHECK(st.checked);
  CHECK_FALSE(st.fits);
  CHECK(st.observed == "1..5");
  CHECK(st.declared == "1..7");

  // Declared as collected: it fits, and the status says the answers were rescaled for norms.
  const attune::ScaleCheck right = usage_check(ecr_on(1, 5), csv);
  CHECK(right.fits());
  CHECK(right.status().rescaled);
  CHECK(right.status().rescale_note.find("rescaled from 1..5 to the instrument's 1..7") != std::string::npos);
}

TEST_CASE("scale check: a file too small to judge, a bottom never used, and answers that use the whole scale") {
  // 199 rows answering: too few to judge (docs/audit.md), whatever they hold.
  const std::string csv = ecr_like_csv(199, 1, 5);
  const attune::ScaleCheck small = usage_check(attune_test::plan_for("ecr"), csv);
  CHECK_FALSE(small.judged);
  CHECK(small.fits());
  CHECK(small.warning().empty());
  // Answers 3..7 on 1..7: the bottom is never used.
  const attune::ScaleCheck shifted = usage_check(attune_test::plan_for("ecr"), ecr_like_csv(300, 3, 7));
  CHECK(shifted.bottom_unused);
  CHECK_FALSE(shifted.top_unused);
  CHECK(shifted.warning().find("at 1 (its bottom)") != std::string::npos);
  // The whole 1..7 scale in use.
  const attune::ScaleCheck full = usage_check(attune_test::plan_for("ecr"), ecr_like_csv(300, 1, 7));
  CHECK(full.fits());
  CHECK(full.lowest == 1);
  CHECK(full.highest == 7);
}

TEST_CASE("scale usage: bytes and doubles agree, chunks merge, and a chunk stops once both ends are seen") {
  const attune::ScoringPlan ecr7 = attune_test::plan_for("ecr");
  // 1,000 cells of 2..6 with every seventh missing: no end of 1..7, so everything is counted.
  std::vector<double> d;
  std::vector<std::int8_t> b;
  for (int i = 0; i < 1000; ++i) {
    const bool gap = i % 7 == 0;
    d.push_back(gap ? std::nan("") : 2 + i % 5);
    b.push_back(gap ? attune::detail::kNotAnsweredByte : static_cast<std::int8_t>(2 + i % 5));
  }
  attune::ScaleUsageAccumulator from_d(ecr7), from_b(ecr7);
  from_d.add_cells(d.data(), d.size());
  static_cast<attune::ScaleUsageAccumulator::Impl&>(*attune::detail::ByteAccumulator::of(from_b)).add_cells(b.data(), b.size());
  CHECK(from_d.answers() == 857);  // 1000 - ceil(1000 / 7)
  CHECK(from_b.answers() == 857);
  CHECK(from_d.lowest() == 2);
  CHECK(from_b.lowest() == 2);
  CHECK(from_d.highest() == 6);
  CHECK(from_b.highest() == 6);
  CHECK_FALSE(from_b.stopped_early());
  // A 1 and a 7 early on: the rest is not looked at (the later 0.5 would otherwise be the lowest).
  d[3] = 1;
  d[4] = 7;
  d[900] = 0.5;
  attune::ScaleUsageAccumulator early(ecr7);
  early.add_cells(d.data(), d.size());
  CHECK(early.stopped_early());
  CHECK(early.lowest() == 1);
  CHECK(early.highest() == 7);
  CHECK(attune::check_scale(early).fits());
  CHECK(attune::check_scale(early).judged);

  // 3,000 rows on 1..5 in chunks of about 8 kB on two threads: every answer counted once.
  attune::ScaleUsageAccumulator usage(ecr7);
  attune::BatchOptions bo = q_map();
  attune::batch::set_chunk_bytes(bo, 8192);
  bo.threads = 2;
  bo.accumulators = {&usage};
  attune_test::run_batch_text(ecr7, ecr_like_csv(3000, 1, 5), bo);
  CHECK(usage.answers() == 3000 * 36);
  CHECK(attune::check_scale(usage).rows == 3000);
  CHECK(attune::check_scale(usage).top_unused);
}

TEST_CASE("scale check: reverse-keyed items that correlate negatively with their scale after keying do not fit") {
  // The file holds the reverse-keyed answers already reversed: keying them again turns them round.
  const std::string csv = ecr_like_csv(400, 1, 7, /*file_keyed=*/true);
  const attune::ScoringPlan plan = attune_test::plan_for("ecr");
  attune::ScaleUsageAccumulator usage(plan);
  attune::ReliabilityAccumulator sums(plan);
  attune::BatchOptions bo = q_map();
  bo.accumulators = {&usage, &sums};
  attune_test::run_batch_text(plan, csv, bo);
  const attune::ReliabilityReport rel = attune::reliability(sums);
  const attune::ScaleCheck c = attune::check_scale(usage, &rel);
  CHECK_FALSE(c.top_unused);
  CHECK_FALSE(c.bottom_unused);
  CHECK(c.correlations_checked);
  // The avoidance scale has 9 reverse-keyed items of 18: each item's rest is half the other way,
  // so only anxiety's one reversed item (q22) is sure to come out negative.
  std::set<std::string> negative;
  for (const auto& n : c.reversed_negative) negative.insert(n.scale + ":" + n.item);
  CHECK(negative.count("anxiety:q22") == 1);
  CHECK_FALSE(c.fits());
  CHECK(c.warning().find("attune audit") != std::string::npos);
  // Without the reliability report only the usage is judged: it fits.
  CHECK(attune::check_scale(usage).fits());
}

TEST_CASE("audit: one flipped key is found and named, and no correct key is flagged") {
  const std::string csv = ecr_like_csv(1000, 1, 7);
  // The instrument forgets that q3 is reverse-keyed.
  const attune::ScoringPlan plan = attune::ScoringPlan::compile(ecr_with_keys([](const std::string&, const std::string& i) { return i != "q3"; }));
  attune::ReliabilityAccumulator sums(plan);
  attune::ScaleUsageAccumulator usage(plan);
  attune::BatchOptions bo = q_map();
  bo.accumulators = {&sums, &usage};
  attune_test::run_batch_text(plan, csv, bo);
  const attune::AuditReport rep = attune::audit(sums, usage);
  std::vector<std::string> flagged;
  const attune::ItemAudit* q3 = nullptr;
  for (const auto& s : rep.scales)
    for (const auto& it : s.items) {
      if (it.miskeyed) flagged.push_back(s.id + ":" + it.id);
      if (it.id == "q3") q3 = &it;
    }
  CHECK(flagged == std::vector<std::string>{"avoidance:q3"});
  REQUIRE(q3);
  CHECK_FALSE(q3->reverse);
  CHECK(q3->suggested_reverse);
  CHECK(q3->loading < -0.10);

  // item_rest_r against a direct Pearson r of q3 with the sum of the other 17 avoidance items as
  // this instrument keys them (every row complete, so pairwise = listwise = plain cor()).
  const std::set<int> rev = {15, 19, 25, 27, 29, 31, 33, 35};
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  while (std::getline(lines, line)) {
    const auto f = attune_test::split_csv_line(line);
    double rest = 0;
    for (int q = 1; q <= 35; q += 2) {
      if (q == 3) continue;
      const double v = std::stod(f[static_cast<std::size_t>(q - 1)]);
      rest += rev.count(q) ? 8 - v : v;
    }
    const double x = std::stod(f[2]);
    n += 1; sx += x; sy += rest; sxx += x * x; syy += rest * rest; sxy += x * rest;
  }
  const double r = (n * sxy - sx * sy) / std::sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
  CHECK(r < 0);
  CHECK(q3->item_rest_r == Approx(r).margin(1e-12));

  // The JSON contract.
  const nlohmann::json j = nlohmann::json::parse(attune::to_json(rep));
  const auto& items = j["scales"]["avoidance"]["items"];
  REQUIRE(items.is_array());
  CHECK(items[1]["id"] == "q3");
  CHECK(items[1]["reverse"] == false);
  CHECK(items[1]["suggested_reverse"] == true);
  CHECK(items[1]["miskeyed"] == true);
  CHECK(items[1]["item_rest_r"].get<double>() == Approx(r).margin(1e-12));
  CHECK(j["miskeyed"].size() == 1);
}

// The acceptance test of issue 18, section 1: an ECR without reverse keys, the raw open data, and
// the audit must name exactly the ten items Brennan et al. (1998) key in reverse.
TEST_CASE("audit: the real open ECR data suggest exactly the ECR's reverse keys to an instrument without any") {
  const std::string data = attune_test::shared_data("ecr-openpsychometrics/data.csv");
  if (!attune_test::file_exists(data)) {
    WARN("shared real ECR data not found at " << data << "; skipped");
    return;
  }
  const attune::Instrument shipped = attune::load_instrument("ecr");
  std::set<std::string> want;
  for (const auto& s : shipped.scales)
    for (const auto& i : s.reverse) want.insert(s.id + ":" + i);
  REQUIRE(want.size() == 10);
  attune::ScoringOptions so;
  so.data_scale = attune::ResponseScale{1, 5, {}};
  const attune::ScoringPlan plan = attune::ScoringPlan::compile(ecr_with_keys([](const std::string&, const std::string&) { return false; }), so);
  attune::ReliabilityAccumulator sums(plan);
  attune::ScaleUsageAccumulator usage(plan);
  attune::BatchOptions bo = q_map();
  bo.missing_codes = {"0"};
  bo.accumulators = {&sums, &usage};
  const attune_test::BatchRun run = attune_test::run_batch(plan, data, bo);
  REQUIRE(run.summary.rows_in == 51491);
  const attune::AuditReport rep = attune::audit(sums, usage);
  std::set<std::string> suggested;
  for (const auto& s : rep.scales)
    for (const auto& it : s.items) {
      CHECK_FALSE(it.reverse);
      if (it.suggested_reverse) suggested.insert(s.id + ":" + it.id);
      if (it.suggested_reverse) CHECK(it.miskeyed);
    }
  CHECK(suggested == want);
  CHECK(rep.scale_check.fits());  // 1..5 declared, 1..5 used
}
