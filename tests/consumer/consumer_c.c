/* Scores one ECR-S answer set through attune's C ABI; exits non-zero if the numbers are wrong. Built
 * three ways: find_package(attune) (tests/consumer), add_subdirectory (tests/consumer-subdir) and
 * pkg-config (tests/consumer-pkgconfig). */
#include "attune.h"

#include <math.h>
#include <stdio.h>

int main(void) {
  attune_instrument* ins = NULL;
  attune_plan* plan = NULL;
  attune_result* res = NULL;
  double answers[12];
  double anx = NAN, avo = NAN;
  int i, ok;
  for (i = 0; i < 12; ++i) answers[i] = 1.0;
  if (attune_instrument_load(&ins, "ecr-s") != 0 || attune_plan_compile(&plan, ins, NULL) != 0 ||
      attune_score_array(&res, plan, answers, attune_plan_item_count(plan)) != 0 ||
      attune_result_scale(&anx, NULL, NULL, res, "anxiety") != 0 ||
      attune_result_scale(&avo, NULL, NULL, res, "avoidance") != 0) {
    fprintf(stderr, "consumer_c: %s\n", attune_error_message());
    return 1;
  }
  /* All answers 1 on 1..7: anxiety = (5 x 1 + reversed q8 = 7) / 6 = 2; avoidance = (3 x 1 + 3 x 7) / 6 = 4. */
  printf("consumer_c (attune %s): anxiety %.6f avoidance %.6f\n", attune_version(), anx, avo);
  ok = fabs(anx - 2.0) < 1e-12 && fabs(avo - 4.0) < 1e-12 && attune_plan_item_count(plan) == 12;
  attune_result_free(res);
  attune_plan_free(plan);
  attune_instrument_free(ins);
  return ok ? 0 : 1;
}
