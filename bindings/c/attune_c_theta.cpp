// The C ABI's theta for many rows (attune_theta_block): the library's theta_rows over the plan's
// answers with one scorer for the call, as `attune score FILE --irt` computes its columns.
#include "attune.h"
#include "c_internal.hpp"

#include <attune/irt.hpp>

using namespace attune_c_detail;

int attune_theta_block(double* out_theta, double* out_se, const attune_calibration* c, const attune_plan* plan,
                       const double* answers, size_t rows, const char* method) {
  return guarded([&] {
    need(out_theta, "out_theta");
    need(out_se, "out_se");
    need(c, "calibration");
    need(plan, "plan");
    if (rows) need(answers, "answers");
    const std::string m = method ? method : "eap";
    if (m != "eap" && m != "map") throw attune::UsageError("unknown method '" + m + "'", {}, "eap or map");
    const std::unique_ptr<attune::irt::ThetaScorer> scorer = attune::irt::theta_scorer_for(plan->plan, c->bank.calibration());
    const std::size_t T = scorer->scale_count();
    std::vector<double> both(rows * 2 * T);
    attune::irt::theta_rows(*scorer, plan->plan.data_scale(), answers, rows, plan->plan.item_count(), m == "map", both.data());
    for (std::size_t k = 0; k < rows * T; ++k) {
      out_theta[k] = both[2 * k];
      out_se[k] = both[2 * k + 1];
    }
  });
}
