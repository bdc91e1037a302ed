// Scores one ECR-S answer set through an installed attune; exits non-zero if the numbers are wrong.
#include <attune/attune.hpp>

#include <cmath>
#include <cstdio>

int main() {
  attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument("ecr-s"));
  attune::Responses r(plan);
  for (int p = 1; p <= 12; ++p) r.set_position(p, 1);
  attune::Result res = attune::score(plan, r);
  // All answers 1 on 1..7: anxiety = (5 x 1 + reversed q8 = 7) / 6 = 2; avoidance = (3 x 1 + 3 x 7) / 6 = 4.
  const double anx = res.find_scale("anxiety")->raw, avo = res.find_scale("avoidance")->raw;
  std::printf("consumer: anxiety %.6f avoidance %.6f\n", anx, avo);
  return (std::fabs(anx - 2.0) < 1e-12 && std::fabs(avo - 4.0) < 1e-12) ? 0 : 1;
}
