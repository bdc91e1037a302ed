/* The adaptive test through the C ABI against the NumPy reference (tools/irt/cat_reference.py,
 * tests/reference/cat_sequences.txt): for each answer vector and rule set, the same items in the same
 * order, the same stop reason and the same theta and SE (1e-6). The Python and Node tests replay the
 * same cases from cat_sequences.json, so every binding is held to the same sequences. Also one
 * person's theta as JSON and a refused answer. Usage: test_cat_c SOURCE_DIR */
#include "attune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond, ...)                                  \
  do {                                                    \
    if (!(cond)) {                                        \
      ++failures;                                         \
      fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                       \
      fprintf(stderr, "\n");                              \
    }                                                     \
  } while (0)

#define MAX_ITEMS 64

static int replay(const attune_calibration *cal, FILE *in, int line) {
  attune_cat_rules rules = ATTUNE_CAT_RULES_INIT;
  int bank = 0, expected_n = 0, expected[MAX_ITEMS], reason = 0, i, n = 0, next = -1, got_reason = -1;
  long long seed = 0;
  double full[MAX_ITEMS], responses[MAX_ITEMS], want[4], theta[2], se[2];
  int items[MAX_ITEMS];
  if (fscanf(in, "%lf %d %d %d %lf %d %lld %d", &rules.se_target, &rules.min_items, &rules.max_items, &rules.max_total,
             &rules.min_se_change, &rules.randomesque, &seed, &bank) != 8)
    return 0;
  rules.seed = seed;
  CHECK(bank == (int)attune_calibration_item_count(cal) && bank <= MAX_ITEMS, "line %d: bank size %d", line, bank);
  for (i = 0; i < bank; ++i) {
    int v = 0;
    if (fscanf(in, "%d", &v) != 1) return 0;
    full[i] = v == 0 ? NAN : v;
  }
  if (fscanf(in, "%d", &expected_n) != 1 || expected_n > MAX_ITEMS) return 0;
  for (i = 0; i < expected_n; ++i)
    if (fscanf(in, "%d", &expected[i]) != 1) return 0;
  if (fscanf(in, "%d %lf %lf %lf %lf", &reason, &want[0], &want[1], &want[2], &want[3]) != 5) return 0;
  for (;;) {
    int rc = attune_cat_step(&next, &got_reason, theta, se, cal, items, responses, (size_t)n, &rules);
    CHECK(rc == ATTUNE_OK, "line %d: step failed: %s", line, attune_error_message());
    if (rc != ATTUNE_OK || next < 0 || n >= MAX_ITEMS) break;
    CHECK(n < expected_n && expected[n] == next, "line %d: item %d is %d", line, n, next);
    items[n] = next;
    responses[n] = full[next];
    ++n;
  }
  CHECK(n == expected_n, "line %d: %d items asked, reference %d", line, n, expected_n);
  CHECK(got_reason == reason, "line %d: reason %d, reference %d", line, got_reason, reason);
  CHECK(fabs(theta[0] - want[0]) < 1e-6 && fabs(se[0] - want[1]) < 1e-6, "line %d: scale 0 %.9f %.9f", line, theta[0], se[0]);
  CHECK(fabs(theta[1] - want[2]) < 1e-6 && fabs(se[1] - want[3]) < 1e-6, "line %d: scale 1 %.9f %.9f", line, theta[1], se[1]);
  return 1;
}

int main(int argc, char **argv) {
  char path[4096];
  attune_calibration *cal = NULL;
  char *json = NULL;
  FILE *in;
  int cases = 0;
  if (argc < 2) return 2;
  snprintf(path, sizeof path, "%s/instruments/calibrations/ecr-openpsychometrics-1to5.json", argv[1]);
  CHECK(attune_calibration_load(&cal, path) == ATTUNE_OK, "load: %s", attune_error_message());
  if (!cal) return 1;
  CHECK(attune_calibration_scale_count(cal) == 2, "two scales");
  CHECK(strcmp(attune_calibration_scale_id(cal, 0), "avoidance") == 0, "avoidance first, as in the file");
  snprintf(path, sizeof path, "%s/tests/reference/cat_sequences.txt", argv[1]);
  in = fopen(path, "r");
  CHECK(in != NULL, "cannot open %s", path);
  while (in && replay(cal, in, cases + 1)) ++cases;
  if (in) fclose(in);
  CHECK(cases == 45, "%d cases read", cases);

  /* The JSON step: the first item with no answers is the one the struct step names. */
  CHECK(attune_cat_step_json(&json, cal, "{\"answers\": [], \"rules\": \"promis\"}") == ATTUNE_OK, "json step");
  if (json) {
    char want[64];
    int next = -1, reason = -1;
    attune_cat_step(&next, &reason, NULL, NULL, cal, NULL, NULL, 0, NULL);
    snprintf(want, sizeof want, "\"next_item\":\"%s\"", attune_calibration_item_id(cal, (size_t)next));
    CHECK(strstr(json, want) != NULL, "json step names %s: %s", want, json);
    attune_string_free(json);
    json = NULL;
  }
  /* One person's theta: nothing answered gives the prior (theta 0, SE about 1). */
  CHECK(attune_calibration_theta_json(&json, cal, "{}", NULL) == ATTUNE_OK, "theta");
  if (json) {
    CHECK(strstr(json, "\"answered\":0") != NULL, "theta of no answers: %s", json);
    attune_string_free(json);
  }
  CHECK(attune_calibration_theta_json(&json, cal, "{\"q1\": 7}", "eap") == ATTUNE_EANSWER, "7 is off the 1..5 scale");
  CHECK(strcmp(attune_error_item(), "q1") == 0, "the error names the item");
  CHECK(attune_calibration_theta_json(&json, cal, "{\"q1\": 3}", "mle") == ATTUNE_EUSAGE, "unknown method");
  attune_calibration_free(cal);
  if (failures) fprintf(stderr, "%d failures\n", failures);
  else printf("test_cat_c: %d cases, all passed\n", cases);
  return failures ? 1 : 0;
}
