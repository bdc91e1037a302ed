/* One person's norms through the C ABI (attune_result_norms_json), printed for test_norms_c.sh, which
 * compares them with the "norms" member of `attune score --json` for the same answers and options.
 * Usage: test_norms_c ANSWERS_JSON_TEXT DATA_MIN DATA_MAX NORM_SET NORM_GROUP CONVERT_LINEAR
 * ("-" for NORM_SET or NORM_GROUP: NULL, the defaults). */
#include "attune.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  attune_instrument *ins = NULL;
  attune_plan *plan = NULL;
  attune_result *res = NULL;
  attune_scoring_options o = ATTUNE_SCORING_OPTIONS_INIT;
  const char *answers;
  char *out = NULL;
  int rc;
  if (argc != 7) {
    fprintf(stderr, "usage: test_norms_c ANSWERS_JSON_TEXT DATA_MIN DATA_MAX NORM_SET NORM_GROUP CONVERT_LINEAR\n");
    return 2;
  }
  answers = argv[1];
  o.data_scale_min = atoi(argv[2]);
  o.data_scale_max = atoi(argv[3]);
  if (attune_instrument_load(&ins, "ecr") != ATTUNE_OK || attune_plan_compile(&plan, ins, &o) != ATTUNE_OK ||
      attune_score_json(&res, plan, answers) != ATTUNE_OK) {
    fprintf(stderr, "setup failed: %s\n", attune_error_message());
    return 1;
  }
  rc = attune_result_norms_json(&out, res, argv[4][0] == '-' ? NULL : argv[4], argv[5][0] == '-' ? NULL : argv[5], atoi(argv[6]));
  if (rc == ATTUNE_OK) printf("%s\n", out);
  else fprintf(stderr, "%s: %s\n", attune_error_code_name(rc), attune_error_message());
  attune_string_free(out);
  attune_result_free(res);
  attune_plan_free(plan);
  attune_instrument_free(ins);
  return rc == ATTUNE_OK ? 0 : 10 - rc;
}
