// The fast EAP path against its plain twin (src/irt/theta_kernel.hpp, answer_categories.hpp): theta
// and SE within 1e-12 (the fast twin multiplies probabilities, the plain one adds logs), the same
// categories and the same refusals. The plain twin is the reference: tests/test_irt.cpp holds it to the
// NumPy implementation (tools/irt/grm_reference.py), and tests/cli/test_score_irt_cli.sh holds a file's
// --irt rows to it.
#include <attune/error.hpp>
#include <attune/instrument.hpp>
#include <attune/irt.hpp>

#include "support/helpers.hpp"
#include "../src/irt/answer_categories.hpp"  // internal: the fast twin of the answer's category
#include "../src/irt/theta_kernel.hpp"       // internal: the fast and plain log posterior and EAP

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace irt = attune::irt;
namespace irtd = attune::irt::detail;

namespace {

const double kNotAnswered = std::numeric_limits<double>::quiet_NaN();

// n items with K categories: slopes 0.4..3, thresholds sorted normal draws (as a calibration has them).
std::vector<irtd::GrmItem> fast_items(std::size_t n, int K, std::mt19937& rng) {
  std::uniform_real_distribution<double> slope(0.4, 3.0);
  std::normal_distribution<double> threshold(0, 1.5);
  std::vector<irtd::GrmItem> items(n);
  for (irtd::GrmItem& item : items) {
    item.a = slope(rng);
    std::vector<double> b(static_cast<std::size_t>(K - 1));
    for (double& x : b) x = threshold(rng);
    std::sort(b.begin(), b.end());
    for (double x : b) item.d.push_back(-item.a * x);
  }
  return items;
}

// One scale's tables on a grid, for both twins.
struct FastScale {
  std::vector<double> points, log_prior;
  irtd::LogTable table;
  irtd::PersonTables fast;
  FastScale(const std::vector<irtd::GrmItem>& items, int K, int nodes) {
    irt::Grid g;
    g.nodes = nodes;
    points = g.points();
    for (double w : g.prior()) log_prior.push_back(std::log(w));
    table.build(items, points);
    fast.build(table, items.size(), K, log_prior, points);
  }
};

// Categories 0..K-1, each not answered (-1) with probability `missing`; patterns of a whole scale
// answered alike too (every answer the lowest or the highest: the posterior's peak at an end of the grid).
std::vector<int> fast_pattern(std::size_t n, int K, double missing, int kind, std::mt19937& rng) {
  std::uniform_int_distribution<int> category(0, K - 1);
  std::bernoulli_distribution skip(missing);
  std::vector<int> c(n + 4, -1);
  for (std::size_t j = 0; j < n; ++j) c[j] = kind == 1 ? 0 : kind == 2 ? K - 1 : skip(rng) ? -1 : category(rng);
  return c;
}

}  // namespace

TEST_CASE("irt fast: EAP theta and SE agree with the plain twin within 1e-12") {
  std::mt19937 rng(21);
  double worst = 0;
  int checked = 0;
  for (int K : {2, 3, 5, 7, 8}) {  // 8: no pair tables
    for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 9u, 18u, 23u}) {
      for (int nodes : {61, 21, 7}) {
        const FastScale s(fast_items(n, K, rng), K, nodes);
        CHECK(s.fast.paired == (K <= 7 ? n / 2 * 2 : 0));
        for (int r = 0; r < 60; ++r) {
          const std::vector<int> c = fast_pattern(n, K, r < 20 ? 0.0 : 0.25, r % 13 == 1 ? 1 : r % 13 == 2 ? 2 : 0, rng);
          const irt::ThetaEstimate p = irtd::plain_eap(s.table, c.data(), n, s.log_prior, s.points);
          irt::ThetaEstimate f;
          REQUIRE(irtd::fast_eap(s.fast, c.data(), f));
          REQUIRE(p.answered == f.answered);
          REQUIRE(std::abs(p.theta - f.theta) <= 1e-12);
          REQUIRE(std::abs(p.se - f.se) <= 1e-12);
          // On 7 nodes with the posterior on one end node (theta 4.0004, SE 0.033), SE^2 = s2/s0 - mean^2
          // is 16.0041 - 16.0030 in both twins, and their sums' rounding differs by up to 1e-12 there.
          if (nodes > 7) worst = std::max({worst, std::abs(p.theta - f.theta), std::abs(p.se - f.se)});
          ++checked;
        }
      }
    }
  }
  CHECK(checked == 5 * 8 * 3 * 60);
  // Rounding only on the usual grids: a wrong table row, a pair read the wrong way round or a node left
  // out would show as 1e-6 or more.
  INFO("worst on 21 and 61 nodes " << worst);
  CHECK(worst < 1e-13);
}

TEST_CASE("irt fast: a likelihood too small for products of probabilities goes to the plain twin") {
  // 150 items with slopes of 4 and every answer against the one before (lowest, highest, ...): the
  // likelihood at its largest is about 1e-300 (each item's P at most about 0.01 near the peak), far
  // under kSmallestTotal, though its logs sum without trouble.
  const int K = 5;
  std::vector<irtd::GrmItem> items(150);
  for (irtd::GrmItem& item : items) {
    item.a = 4;
    for (double b : {-1.5, -0.5, 0.5, 1.5}) item.d.push_back(-item.a * b);
  }
  const FastScale s(items, K, 61);
  std::vector<int> c(items.size() + 4, -1);
  for (std::size_t j = 0; j < items.size(); ++j) c[j] = j % 2 ? K - 1 : 0;
  irt::ThetaEstimate f;
  CHECK_FALSE(irtd::fast_eap(s.fast, c.data(), f));
  const irt::ThetaEstimate p = irtd::plain_eap(s.table, c.data(), items.size(), s.log_prior, s.points);
  CHECK(std::isfinite(p.theta));
  CHECK(p.se > 0);
  // ThetaScorer takes the plain twin then: its theta and SE, not the products' 0 / 0.
  irt::Calibration cal;
  cal.response_scale.min = 1;
  cal.response_scale.max = 5;
  cal.scales.resize(1);
  cal.scales[0].id = "many";
  std::vector<std::string> ids;
  std::vector<double> answers;
  for (std::size_t j = 0; j < items.size(); ++j) {
    ids.push_back("i" + std::to_string(j));
    irt::ItemParameters item;
    item.id = ids.back();
    item.a = 4;
    item.b = {-1.5, -0.5, 0.5, 1.5};
    cal.scales[0].items.push_back(item);
    answers.push_back(j % 2 ? 5 : 1);
  }
  const irt::ThetaScorer scorer(cal, ids, cal.response_scale);
  const irt::ThetaEstimate via = scorer.eap(0, answers.data());
  CHECK(via.theta == p.theta);
  CHECK(via.se == p.se);
  CHECK(via.answered == 150);
  // The same items answered consistently: products are fine, and agree with the logs.
  for (std::size_t j = 0; j < items.size(); ++j) c[j] = 2;
  REQUIRE(irtd::fast_eap(s.fast, c.data(), f));
  const irt::ThetaEstimate q = irtd::plain_eap(s.table, c.data(), items.size(), s.log_prior, s.points);
  CHECK(std::abs(q.theta - f.theta) <= 1e-12);
  CHECK(std::abs(q.se - f.se) <= 1e-12);
}

TEST_CASE("irt fast: answers become the plain rule's categories, and an answer off the scale is found") {
  // The rule written out: on min..max and whole, max - v reverse-keyed, v - min otherwise; NaN -1.
  for (int lo : {0, 1}) {
    const int hi = lo + 4;
    const std::vector<std::size_t> where = {4, 0, 2, 5, 1};  // the answers of items 0..4 in the row
    const std::vector<std::uint8_t> reversed = {0, 1, 0, 1, 1};
    irtd::AnswerLayout layout;
    layout.build(where, reversed, lo, hi);
    REQUIRE(layout.padded() == 8);
    std::mt19937 rng(22);
    std::uniform_int_distribution<int> value(lo, hi);
    for (int r = 0; r < 200; ++r) {
      std::vector<double> row(6);
      for (double& v : row) v = r % 5 == 0 ? kNotAnswered : value(rng);
      if (r % 7 == 0) row[0] = -0.0 + lo;  // a negative zero on 0..4 is the answer 0
      int c[8];
      int answered = 0;
      for (std::size_t j = 0; j < where.size(); ++j) answered += std::isnan(row[where[j]]) ? 0 : 1;
      REQUIRE(irtd::fast_categories(layout, row.data(), c) == answered);
      for (std::size_t j = 0; j < where.size(); ++j) {
        const double v = row[where[j]];
        const int expected = std::isnan(v) ? -1 : reversed[j] ? hi - static_cast<int>(v) : static_cast<int>(v) - lo;
        REQUIRE(c[j] == expected);
      }
    }
    const double inf = std::numeric_limits<double>::infinity();
    for (double off : {lo - 1.0, hi + 1.0, lo + 1.5, hi + 0.5, lo - 0.5, inf, -inf, 1e300, 1e16, -1e16}) {
      std::vector<double> row(6, lo + 1.0);
      row[where[3]] = off;
      int c[8];
      CHECK(irtd::fast_categories(layout, row.data(), c) == -1);
    }
  }
}

TEST_CASE("irt fast: ThetaScorer refuses an answer off the scale naming its item, and scores the rest as the plain twin") {
  const irt::Calibration cal = irt::Calibration::from_file(attune_test::source_path("instruments/calibrations/ecr-openpsychometrics-1to5.json"));
  const attune::Instrument ecr = attune::load_instrument(cal.provenance.instrument_id);
  std::vector<std::string> ids;
  for (const auto& item : ecr.items) ids.push_back(item.id);
  const irt::ThetaScorer scorer(cal, ids, cal.response_scale);
  std::vector<double> row(ids.size(), 3.0);
  const irt::ItemParameters& third = cal.scales[0].items[2];
  const std::size_t at = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), third.id) - ids.begin());
  for (double off : {0.0, 6.0, 2.5}) {
    row[at] = off;
    const attune::Error e = attune_test::error_of([&] { scorer.eap(0, row.data()); });
    CHECK(e.kind() == attune::ErrorKind::answer);
    CHECK(e.where().item == third.id);
  }
  row[at] = kNotAnswered;
  CHECK(scorer.eap(0, row.data()).answered == static_cast<int>(cal.scales[0].items.size()) - 1);
}

TEST_CASE("irt fast: every row of the open ECR data gets the plain twin's theta and SE within 1e-12") {
  std::ifstream in(attune_test::shared_data("ecr-openpsychometrics/data.csv"));
  if (!in) {
    WARN("the shared ECR data is not there: skipped");
    return;
  }
  const irt::Calibration cal = irt::Calibration::from_file(attune_test::source_path("instruments/calibrations/ecr-openpsychometrics-1to5.json"));
  const attune::Instrument ecr = attune::load_instrument(cal.provenance.instrument_id);
  std::vector<std::string> ids;
  for (const auto& item : ecr.items) ids.push_back(item.id);  // Q1..Q36 in the data's order
  const irt::ThetaScorer scorer(cal, ids, cal.response_scale);
  // The plain twin per scale: its tables, and each item's column and key, from the calibration.
  std::vector<std::vector<irtd::GrmItem>> items(cal.scales.size());
  std::vector<irtd::LogTable> tables(cal.scales.size());
  const std::vector<double> points = cal.grid.points();
  std::vector<double> log_prior;
  for (double w : cal.grid.prior()) log_prior.push_back(std::log(w));
  for (std::size_t s = 0; s < cal.scales.size(); ++s) {
    for (const irt::ItemParameters& p : cal.scales[s].items) items[s].push_back(irtd::to_intercepts(p));
    tables[s].build(items[s], points);
  }
  std::string line;
  std::getline(in, line);
  std::size_t rows = 0;
  double worst = 0;
  std::vector<double> row(ids.size());
  std::vector<int> c(64);
  while (std::getline(in, line)) {
    std::stringstream cells(line);
    std::string cell;
    for (std::size_t q = 0; q < ids.size() && std::getline(cells, cell, ','); ++q) {
      const double v = std::stod(cell);
      row[q] = v == 0 ? kNotAnswered : v;  // 0 = not answered (the data's README)
    }
    for (std::size_t s = 0; s < cal.scales.size(); ++s) {
      const auto& sc = cal.scales[s].items;
      for (std::size_t j = 0; j < sc.size(); ++j) {
        const std::size_t at = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), sc[j].id) - ids.begin());
        const double v = row[at];
        c[j] = std::isnan(v) ? -1 : sc[j].reversed ? 5 - static_cast<int>(v) : static_cast<int>(v) - 1;
      }
      const irt::ThetaEstimate p = irtd::plain_eap(tables[s], c.data(), sc.size(), log_prior, points);
      const irt::ThetaEstimate f = scorer.eap(s, row.data());
      REQUIRE(p.answered == f.answered);
      worst = std::max({worst, std::abs(p.theta - f.theta), std::abs(p.se - f.se)});
    }
    ++rows;
  }
  CHECK(rows == 51491);
  CHECK(worst <= 1e-12);
}
