/* Theta for many rows through the C ABI (attune_theta_block), printed for test_theta_block_c.sh,
 * which compares it with `attune score FILE --irt`. Reads rows of 36 ECR answers on 1..5 (nan =
 * not answered) from standard input; prints per row theta and SE per scale (%.12g; nan when empty).
 * Usage: test_theta_block_c CALIBRATION METHOD < answers.txt */
#include "attune.h"

#include <stdio.h>
#include <stdlib.h>

#define ITEMS 36
#define MAX_ROWS 1000

int main(int argc, char **argv) {
  static double answers[MAX_ROWS * ITEMS], theta[MAX_ROWS * 4], se[MAX_ROWS * 4];
  attune_instrument *ins = NULL;
  attune_plan *plan = NULL;
  attune_calibration *cal = NULL;
  attune_scoring_options o = ATTUNE_SCORING_OPTIONS_INIT;
  size_t rows = 0, r, s, scales;
  int rc;
  if (argc != 3) return 2;
  while (rows < MAX_ROWS && scanf("%lf", &answers[rows * ITEMS]) == 1) {
    for (s = 1; s < ITEMS; ++s) if (scanf("%lf", &answers[rows * ITEMS + s]) != 1) return 2;
    ++rows;
  }
  o.data_scale_min = 1;
  o.data_scale_max = 5;
  if (attune_instrument_load(&ins, "ecr") != ATTUNE_OK || attune_plan_compile(&plan, ins, &o) != ATTUNE_OK ||
      attune_calibration_load(&cal, argv[1]) != ATTUNE_OK) {
    fprintf(stderr, "setup failed: %s\n", attune_error_message());
    return 1;
  }
  scales = attune_calibration_scale_count(cal);
  rc = attune_theta_block(theta, se, cal, plan, answers, rows, argv[2]);
  if (rc != ATTUNE_OK) {
    fprintf(stderr, "%s: %s\n", attune_error_code_name(rc), attune_error_message());
  } else {
    for (s = 0; s < scales; ++s) printf("%s%s_theta,%s_theta_se", s ? "," : "", attune_calibration_scale_id(cal, s), attune_calibration_scale_id(cal, s));
    printf("\n");
    for (r = 0; r < rows; ++r) {
      for (s = 0; s < scales; ++s) printf("%s%.12g,%.12g", s ? "," : "", theta[r * scales + s], se[r * scales + s]);
      printf("\n");
    }
  }
  attune_calibration_free(cal);
  attune_plan_free(plan);
  attune_instrument_free(ins);
  return rc == ATTUNE_OK ? 0 : 3;
}
