// The four-dimension profile on points whose answer is known by geometry, and the published
// classification functions at points computed by hand.
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace attune_test;
using attune::Category;
using Catch::Matchers::WithinAbs;

namespace {

// Two one-item scales on 1..7 with norms mean 4, sd 1 and reliability .75 (SEM = 1 x sqrt(.25) = .5),
// so a raw score is its own z + 4 and the geometry is easy to see.
const char* kPlane = R"({
  "format": "attune-instrument/1", "id": "plane", "version": "1", "name": "Plane", "short_name": "P",
  "citations": [{"id": "c", "text": "Test instrument"}], "key_source": "c",
  "verified": {"status": false, "note": "test"},
  "response_scale": {"min": 1, "max": 7},
  "items": [{"id": "x", "position": 1, "label": "x"}, {"id": "y", "position": 2, "label": "y"}],
  "scales": [
    {"id": "anxiety", "label": "A", "aggregation": "mean", "items": ["x"], "min_answered": 1,
     "reliability": {"alpha": 0.75}},
    {"id": "avoidance", "label": "V", "aggregation": "mean", "items": ["y"], "min_answered": 1,
     "reliability": {"alpha": 0.75}}],
  "norms": {"status": "published", "citation": "c", "scales": {"anxiety": {"mean": 4, "sd": 1}, "avoidance": {"mean": 4, "sd": 1}}},
  "profile": {"default": "quadrant", "methods": {
    "quadrant": {"type": "quadrant", "anxiety": "anxiety", "avoidance": "avoidance"},
    "cut3": {"type": "quadrant", "anxiety": "anxiety", "avoidance": "avoidance", "center": {"anxiety": 3, "avoidance": 3}}}}
})";

attune::Result at(double anx, double avo, const std::string& method = "") {
  attune::ScoringOptions o;
  o.profile_method = method;
  auto plan = attune::ScoringPlan::compile(attune::Instrument::from_json_text(kPlane, "plane.json"), o);
  attune::Responses r(plan);
  r.set("x", anx);
  r.set("y", avo);
  return attune::score(plan, r);
}

const double kSqrt2 = std::sqrt(2.0);
const double kPhi2 = 0.9772498680518208;  // Phi(2), standard normal table

}  // namespace

TEST_CASE("quadrant: each pure prototype lies on its diagonal") {
  // a = anxiety z, v = avoidance z. secure = -(a+v)/sqrt2, anxious = (a-v)/sqrt2,
  // avoidant = (v-a)/sqrt2, fearful = (a+v)/sqrt2.
  struct Case { double anx, avo; Category want; } cases[] = {
      {3, 3, Category::secure}, {5, 3, Category::anxious}, {3, 5, Category::avoidant}, {5, 5, Category::fearful}};
  for (const auto& c : cases) {
    auto res = at(c.anx, c.avo);
    INFO(attune::to_string(c.want));
    REQUIRE(res.profile.categories.size() == 1);
    CHECK(res.profile.categories[0] == c.want);
    // (+-1, +-1): the winning projection is 2/sqrt2 = sqrt2, the opposite -sqrt2, the others 0
    CHECK_THAT(res.profile.dimension(c.want), WithinAbs(kSqrt2, 1e-12));
    // |a| = |v| = 1 and SEM = .5: each dimension is on its side with Phi(1/.5) = Phi(2)
    CHECK_THAT(res.profile.confidence, WithinAbs(kPhi2 * kPhi2, 1e-12));
  }
  auto anx = at(5, 3);
  CHECK_THAT(anx.profile.dimension(Category::secure), WithinAbs(0.0, 1e-12));
  CHECK_THAT(anx.profile.dimension(Category::fearful), WithinAbs(0.0, 1e-12));
  CHECK_THAT(anx.profile.dimension(Category::avoidant), WithinAbs(-kSqrt2, 1e-12));
  CHECK_THAT(anx.profile.anxiety, WithinAbs(1.0, 1e-12));
  CHECK_THAT(anx.profile.avoidance, WithinAbs(-1.0, 1e-12));
}

TEST_CASE("quadrant: points on an axis are ties, never broken silently") {
  auto on_axis = at(4, 6);  // a = 0, v = 2: on the border of the avoidant and fearful quadrants
  REQUIRE(on_axis.profile.categories.size() == 2);
  CHECK(on_axis.profile.categories[0] == Category::avoidant);
  CHECK(on_axis.profile.categories[1] == Category::fearful);
  // Phi(0) = .5 for the anxiety side, Phi(2/.5) for avoidance: Phi(4) = 0.9999683287581669
  CHECK_THAT(on_axis.profile.confidence, WithinAbs(0.5 * 0.9999683287581669, 1e-12));
  auto centre = at(4, 4);
  CHECK(centre.profile.categories.size() == 4);
}

TEST_CASE("quadrant with fixed cut points (Collins-style)") {
  // cut at 3: anxiety 3.5 and avoidance 2 are high and low -> anxious, whatever the norms say
  auto res = at(4, 2, "cut3");
  REQUIRE(res.profile.categories.size() == 1);
  CHECK(res.profile.categories[0] == Category::anxious);
}

TEST_CASE("Brennan et al. (1998) classification functions at hand-computed points") {
  auto plan = plan_for("ecr", [] { attune::ScoringOptions o; o.profile_method = "brennan1998"; return o; }());
  // Keyed score 2 on every item: answer 2 on forward items and 6 on reversed ones (8 - 6 = 2).
  attune::Responses r(plan);
  const auto& scales = plan.instrument().scales;
  for (const auto& s : scales) for (const auto& item : s.items) r.set(item, s.is_reversed(item) ? 6 : 2);
  auto res = attune::score(plan, r);
  REQUIRE_THAT(raw(res, "avoidance"), WithinAbs(2.0, 1e-12));
  REQUIRE_THAT(raw(res, "anxiety"), WithinAbs(2.0, 1e-12));
  // f = a*avoidance + b*anxiety + c at (2, 2):
  //   secure      3.2893296*2 + 5.4725318*2 - 11.5307833 =  5.9929395
  //   fearful     7.2371075*2 + 8.1776448*2 - 32.3553266 = -1.5258220
  //   preoccupied 3.9246754*2 + 9.7102446*2 - 28.4573220 = -1.1874820
  //   dismissing  7.3654621*2 + 4.9392039*2 - 22.2281088 =  2.3812232
  const double f[4] = {5.9929395, -1.1874820, 2.3812232, -1.5258220};  // secure, anxious, avoidant, fearful
  double total = 0;
  for (double v : f) total += std::exp(v);
  REQUIRE(res.profile.categories.size() == 1);
  CHECK(res.profile.categories[0] == Category::secure);
  for (int c = 0; c < 4; ++c) CHECK_THAT(res.profile.posterior[static_cast<std::size_t>(c)], WithinAbs(std::exp(f[c]) / total, 1e-7));
  CHECK_THAT(res.profile.confidence, WithinAbs(std::exp(f[0]) / total, 1e-7));

  // Keyed 6 on avoidance, 2 on anxiety:
  //   secure 3.2893296*6 + 10.9450636 - 11.5307833 = 19.1502579
  //   fearful 7.2371075*6 + 16.3552896 - 32.3553266 = 27.4226080
  //   preoccupied 3.9246754*6 + 19.4204892 - 28.4573220 = 14.5112196
  //   dismissing 7.3654621*6 + 9.8784078 - 22.2281088 = 31.8430716  -> dismissing (avoidant)
  for (const auto& s : scales) {
    const double keyed = s.id == "avoidance" ? 6 : 2;
    for (const auto& item : s.items) r.set(item, s.is_reversed(item) ? 8 - keyed : keyed);
  }
  auto res2 = attune::score(plan, r);
  REQUIRE(res2.profile.categories.size() == 1);
  CHECK(res2.profile.categories[0] == Category::avoidant);
  CHECK_THAT(res2.profile.posterior[2], WithinAbs(1.0 / (1.0 + std::exp(27.4226080 - 31.8430716) + std::exp(19.1502579 - 31.8430716) +
                                                          std::exp(14.5112196 - 31.8430716)), 1e-7));
}

TEST_CASE("Brennan functions on 1..5 data use the documented linear rescale to 1..7") {
  attune::ScoringOptions o;
  o.profile_method = "brennan1998";
  o.data_scale = attune::ResponseScale{1, 5, {}};
  auto plan = plan_for("ecr", o);
  // keyed 2 on 1..5 maps to 1 + (2 - 1) x 6/4 = 2.5 on 1..7:
  //   secure 3.2893296*2.5 + 5.4725318*2.5 - 11.5307833 = 8.223324 + 13.6813295 - 11.5307833 = 10.3738702
  //   dismissing 7.3654621*2.5 + 4.9392039*2.5 - 22.2281088 = 8.5335562 -> secure wins
  attune::Responses r(plan);
  for (const auto& s : plan.instrument().scales) for (const auto& item : s.items) r.set(item, s.is_reversed(item) ? 4 : 2);
  auto res = attune::score(plan, r);
  REQUIRE_THAT(raw(res, "anxiety"), WithinAbs(2.0, 1e-12));  // raw stays on the data's 1..5 metric
  REQUIRE(res.profile.categories.size() == 1);
  CHECK(res.profile.categories[0] == Category::secure);
  const double fs = 10.3738702, fd = 8.5335562;
  const double fa = 3.9246754 * 2.5 + 9.7102446 * 2.5 - 28.4573220, ff = 7.2371075 * 2.5 + 8.1776448 * 2.5 - 32.3553266;
  CHECK_THAT(res.profile.posterior[0], WithinAbs(1 / (1 + std::exp(fd - fs) + std::exp(fa - fs) + std::exp(ff - fs)), 1e-7));
}

TEST_CASE("prototype instruments: the highest rating wins and ties are reported") {
  auto plan = plan_for("rq");
  attune::Responses r(plan);
  r.set("secure", 5);
  r.set("fearful", 5);
  r.set("preoccupied", 2);
  r.set("dismissing", 1);
  auto res = attune::score(plan, r);
  REQUIRE(res.profile.categories.size() == 2);
  CHECK(res.profile.categories[0] == Category::secure);
  CHECK(res.profile.categories[1] == Category::fearful);
  // dimensions: (rating - midpoint 4) / half range 3 (no published norms)
  CHECK_THAT(res.profile.dimension(Category::secure), WithinAbs(1.0 / 3, 1e-12));
  CHECK_THAT(res.profile.dimension(Category::avoidant), WithinAbs(-1.0, 1e-12));
  CHECK(std::isnan(res.profile.confidence));  // single ratings: no error model
}

TEST_CASE("midpoint standardization when an instrument has no norms") {
  auto plan = plan_for("ecr-r");
  CHECK(plan.standardization().find("midpoint") != std::string::npos);
  // all 1: anxiety 30/18, avoidance 5: a = (30/18 - 4) / 3, v = (5 - 4) / 3
  auto res = attune::score(plan, all_answers(plan, 1));
  CHECK_THAT(res.profile.anxiety, WithinAbs((30.0 / 18 - 4) / 3, 1e-12));
  CHECK_THAT(res.profile.avoidance, WithinAbs(1.0 / 3, 1e-12));
  CHECK(res.profile.categories.size() == 1);
  CHECK(res.profile.categories[0] == Category::avoidant);
  CHECK(std::isnan(res.scales[0].z));  // no norms, no z
}

TEST_CASE("user norms give z, percentile, SEM and a 95% interval") {
  attune::ScoringOptions o;
  o.norms_source = attune::NormsSource::user;
  o.norms["anxiety"] = attune::Norm{3.0, 1.0, 100, 0.84};
  o.norms["avoidance"] = attune::Norm{3.0, 1.0, 100, 0.84};
  auto plan = plan_for("ecr-r", o);
  auto res = attune::score(plan, all_answers(plan, 1));
  // avoidance 5: z = (5 - 3) / 1 = 2, percentile 100 x Phi(2) = 97.72498680518208
  const attune::ScaleScore* avo = res.find_scale("avoidance");
  CHECK_THAT(avo->z, WithinAbs(2.0, 1e-12));
  CHECK_THAT(avo->percentile, WithinAbs(97.72498680518208, 1e-9));
  // SEM = 1 x sqrt(1 - .84) = .4; interval 5 -+ 1.959964 x .4
  CHECK_THAT(avo->sem, WithinAbs(0.4, 1e-12));
  CHECK_THAT(avo->ci_low, WithinAbs(5 - 1.959963984540054 * 0.4, 1e-12));
  CHECK_THAT(avo->ci_high, WithinAbs(5 + 1.959963984540054 * 0.4, 1e-12));
}
