/* Score one person from a JSON answers file with the C ABI and print the result as JSON.
 *   example_c_score ecr-r examples/data/ecr-r-one.json */
#include "attune.h"

#include <stdio.h>
#include <stdlib.h>

static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  char* buf;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (char*)malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) buf[n] = '\0';
  else { free(buf); buf = NULL; }
  fclose(f);
  return buf;
}

int main(int argc, char** argv) {
  attune_instrument* ins = NULL;
  attune_plan* plan = NULL;
  attune_result* res = NULL;
  char* answers;
  char* json = NULL;
  int rc;
  if (argc != 3) {
    fprintf(stderr, "usage: %s INSTRUMENT ANSWERS.json\n", argv[0]);
    return 2;
  }
  answers = read_file(argv[2]);
  if (!answers) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    return 5;
  }
  if ((rc = attune_instrument_load(&ins, argv[1])) == 0 && (rc = attune_plan_compile(&plan, ins, NULL)) == 0 &&
      (rc = attune_score_json(&res, plan, answers)) == 0 && (rc = attune_result_to_json(&json, res, 2)) == 0) {
    printf("%s\n", json);
  } else {
    /* The same detail as the C++ exception: message, item, value, what was expected. */
    fprintf(stderr, "attune error %d (%s): %s\n", rc, attune_error_code_name(rc), attune_error_message());
    if (*attune_error_expected()) fprintf(stderr, "expected: %s\n", attune_error_expected());
  }
  attune_string_free(json);
  attune_result_free(res);
  attune_plan_free(plan);
  attune_instrument_free(ins);
  free(answers);
  return rc == 0 ? 0 : 1;
}
