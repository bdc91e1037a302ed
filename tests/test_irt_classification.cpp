// Quadrant probabilities from two theta posteriors, score cuts moved onto theta, and Rudner's
// classification accuracy and consistency, against tools/irt/classification_reference.py (NumPy/SciPy,
// outputs in tests/reference/irt/ecr_classification.json) and hand arithmetic.
#include <attune/instrument.hpp>
#include <attune/irt.hpp>

#include "support/helpers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

using attune_test::source_path;
namespace irt = attune::irt;

namespace {

nlohmann::json classification_reference() {
  std::ifstream in(source_path("tests/reference/irt/ecr_classification.json"));
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("irt classification: a node's mass is spread over its cell when it meets the cut", "[irt]") {
  // Points 0, 1, 2 (h = 1), mass 0.2, 0.5, 0.3. By hand: cut 1 splits node 1's cell [0.5, 1.5] in
  // half: 0.25 + 0.3 = 0.55; cut 0.75: three quarters of node 1: 0.375 + 0.3 = 0.675; cut -1: all of it.
  const std::vector<double> points{0, 1, 2};
  const double post[3] = {0.2, 0.5, 0.3};
  CHECK(irt::share_above(points, post, 1.0) == Approx(0.55).epsilon(1e-14));
  CHECK(irt::share_above(points, post, 0.75) == Approx(0.675).epsilon(1e-14));
  CHECK(irt::share_above(points, post, -1.0) == Approx(1.0).epsilon(1e-14));
  CHECK(irt::share_above(points, post, 2.5) == 0);
  // Quadrants: P(anxiety above) 0.55, P(avoidance above) 0.675 at the same cut.
  const auto q = irt::quadrant_probabilities(points, post, post, 1.0, 0.75);
  CHECK(q[static_cast<int>(attune::Category::secure)] == Approx(0.45 * 0.325).epsilon(1e-14));
  CHECK(q[static_cast<int>(attune::Category::anxious)] == Approx(0.55 * 0.325).epsilon(1e-14));
  CHECK(q[static_cast<int>(attune::Category::avoidant)] == Approx(0.45 * 0.675).epsilon(1e-14));
  CHECK(q[static_cast<int>(attune::Category::fearful)] == Approx(0.55 * 0.675).epsilon(1e-14));
}

TEST_CASE("irt classification: ECR cuts and quadrants and consistency match the NumPy reference", "[irt]") {
  const nlohmann::json ref = classification_reference();
  const irt::Calibration cal = irt::load_calibration("ecr-openpsychometrics-1to5");
  const double score_cut = ref["score_cut"].get<double>();
  for (const char* scale : {"anxiety", "avoidance"}) {
    const double cut = irt::theta_for_mean_score(*cal.find_scale(scale), cal.response_scale, score_cut);
    CHECK(cut == Approx(ref["cuts"][scale].get<double>()).epsilon(0).margin(1e-9));
    const irt::ClassificationAgreement g = irt::classification_agreement(*cal.find_scale(scale), cal.grid, cut);
    CHECK(g.accuracy == Approx(ref["agreement"][scale]["accuracy"].get<double>()).epsilon(0).margin(1e-9));
    CHECK(g.consistency == Approx(ref["agreement"][scale]["consistency"].get<double>()).epsilon(0).margin(1e-9));
  }
  std::vector<std::string> ids;
  for (int i = 1; i <= 36; ++i) ids.push_back("q" + std::to_string(i));
  const irt::ThetaScorer scorer(cal, ids, cal.response_scale);
  const int anx = scorer.scale_index("anxiety"), avo = scorer.scale_index("avoidance");
  std::vector<double> pa(scorer.points().size()), pv(scorer.points().size());
  for (const auto& person : ref["people"]) {
    std::vector<double> answers;
    for (const auto& v : person["answers"]) answers.push_back(v.is_null() ? std::nan("") : v.get<double>());
    scorer.posterior(static_cast<std::size_t>(anx), answers.data(), pa.data());
    scorer.posterior(static_cast<std::size_t>(avo), answers.data(), pv.data());
    const auto q = irt::quadrant_probabilities(scorer.points(), pa.data(), pv.data(), ref["cuts"]["anxiety"].get<double>(),
                                               ref["cuts"]["avoidance"].get<double>());
    const char* names[4] = {"secure", "anxious", "avoidant", "fearful"};
    for (int k = 0; k < 4; ++k) CHECK(q[static_cast<std::size_t>(k)] == Approx(person["quadrants"][names[k]].get<double>()).epsilon(0).margin(1e-9));
  }
}

TEST_CASE("irt classification: the posterior's mean and SD are the EAP and its SE", "[irt]") {
  const irt::Calibration cal = irt::load_calibration("ecr-openpsychometrics-1to5");
  std::vector<std::string> ids;
  for (int i = 1; i <= 36; ++i) ids.push_back("q" + std::to_string(i));
  const irt::ThetaScorer scorer(cal, ids, cal.response_scale);
  std::vector<double> answers(36, 4.0), post(scorer.points().size());
  answers[6] = std::nan("");
  const int answered = scorer.posterior(0, answers.data(), post.data());
  const irt::ThetaEstimate e = scorer.eap(0, answers.data());
  double s0 = 0, s1 = 0, s2 = 0;
  for (std::size_t q = 0; q < post.size(); ++q) {
    s0 += post[q];
    s1 += post[q] * scorer.points()[q];
    s2 += post[q] * scorer.points()[q] * scorer.points()[q];
  }
  CHECK(answered == e.answered);
  CHECK(s0 == Approx(1.0).epsilon(1e-14));
  CHECK(s1 == Approx(e.theta).epsilon(0).margin(1e-12));
  CHECK(std::sqrt(s2 - s1 * s1) == Approx(e.se).epsilon(0).margin(1e-12));
}
