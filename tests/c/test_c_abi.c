/* The C ABI, exercised from a program compiled as C.
 *
 * Hand-computed expectation (ECR-R, 36 items on 1..7; anxiety = mean of q1..q18 with q9, q11 reversed
 * as 8 - x; avoidance = mean of q19..q36 with q20 q22 q26 q27 q28 q29 q30 q31 q33 q34 q35 q36 reversed).
 * Answers: q1 = 7, q9 = 3, q11 = 1, every other anxiety item 5; every avoidance item 2.
 *   anxiety   = (7 + 7*5 [q2..q8] + (8-3) + 5 [q10] + (8-1) + 7*5 [q12..q18]) / 18 = 94/18 = 5.222222
 *   avoidance = (6 unreversed * 2 + 12 reversed * (8-2)) / 18 = (12 + 72) / 18 = 84/18 = 4.666667
 * ECR-R ships no norms, so the plane is standardized at the scale midpoint 4 with unit 3 (half the
 * 1..7 range): a = (94/18 - 4)/3 = 11/27 = 0.407407, v = (84/18 - 4)/3 = 6/27 = 0.222222.
 * Dimensions are projections on the diagonals: fearful = (a+v)/sqrt2 = (17/27)/sqrt2 = 0.445215,
 * secure = -0.445215, anxious = (a-v)/sqrt2 = (5/27)/sqrt2 = 0.130946, avoidant = -0.130946.
 * Both coordinates > 0: the fearful quadrant.
 */
#include "attune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                      \
    }                                                                  \
  } while (0)

#define CHECK_NEAR(x, want) \
  do {                                                                 \
    double x_ = (x), w_ = (want);                                      \
    if (!(fabs(x_ - w_) < 1e-6)) {                                     \
      fprintf(stderr, "%s:%d: %s = %.9f, want %.9f\n", __FILE__, __LINE__, #x, x_, w_); \
      ++failures;                                                      \
    }                                                                  \
  } while (0)

static void answers_json(char* buf, size_t size, int bad_q5) {
  size_t used = 0;
  int q;
  used += (size_t)snprintf(buf + used, size - used, "{");
  for (q = 1; q <= 36; ++q) {
    int v;
    if (q == 1) v = 7;
    else if (q == 9) v = 3;
    else if (q == 11) v = 1;
    else if (q <= 18) v = 5;
    else v = 2;
    if (bad_q5 && q == 5) v = 8;
    used += (size_t)snprintf(buf + used, size - used, "%s\"q%d\": %d", q > 1 ? ", " : "", q, v);
  }
  snprintf(buf + used, size - used, "}");
}

/* A saved result of ECR-R with every answer `value` (so anxiety and avoidance means follow from the
 * keys: items q9, q11 and the avoidance reversals answer 8 - value on their keyed side). */
static char* saved_result(const attune_plan* plan, int value) {
  char buf[1024];
  size_t used = 0;
  int q;
  attune_result* r = NULL;
  char* out = NULL;
  used += (size_t)snprintf(buf + used, sizeof buf - used, "{");
  for (q = 1; q <= 36; ++q) used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\"q%d\": %d", q > 1 ? ", " : "", q, value);
  snprintf(buf + used, sizeof buf - used, "}");
  if (attune_score_json(&r, plan, buf) != ATTUNE_OK) return NULL;
  attune_result_to_json(&out, r, -1);
  attune_result_free(r);
  return out;
}

/* attune_compare_json and attune_couple_json: the CLI's JSON, strict options, refusals. */
static void check_change(const attune_plan* plan) {
  char* a = saved_result(plan, 2);
  char* b = saved_result(plan, 6);
  char* out = NULL;
  CHECK(a != NULL && b != NULL);
  /* Anxiety: 16 items answered 2 and q9, q11 reversed (8 - 2 = 6): mean (16 x 2 + 2 x 6) / 18 = 2.444;
   * with 6 everywhere: (16 x 6 + 2 x 2) / 18 = 5.556; difference 3.111, S_diff = sqrt(2 x 0.1) = 0.447: reliable. */
  CHECK(attune_compare_json(&out, a, b, NULL, "{\"sd\": {\"anxiety\": 1}, \"reliability\": {\"anxiety\": 0.9}}", -1) == ATTUNE_OK);
  CHECK(out && strstr(out, "\"verdict\":\"reliable_up\"") != NULL);
  CHECK(out && strstr(out, "\"days_apart\":null") != NULL);
  attune_string_free(out);
  out = NULL;
  CHECK(attune_compare_json(&out, a, b, NULL, "{\"sd\": {\"anxiety\": 1}}", -1) == ATTUNE_EUSAGE && out == NULL);
  CHECK(attune_compare_json(&out, a, b, NULL, "{\"sdd\": {}}", -1) == ATTUNE_EUSAGE);
  CHECK(strcmp(attune_error_json_path(), "/sdd") == 0);
  CHECK(attune_compare_json(&out, a, NULL, NULL, NULL, -1) == ATTUNE_EUSAGE);
  CHECK(attune_couple_json(&out, a, b, NULL, "{\"names\": [\"Sam\", \"Alex\"]}", 2) == ATTUNE_OK);
  CHECK(out && strstr(out, "\"not_a_score\"") && strstr(out, "\"Sam\"") && strstr(out, "\"practices\""));
  attune_string_free(out);
  attune_string_free(a);
  attune_string_free(b);
}

int main(void) {
  attune_instrument* ins = NULL;
  attune_plan* plan = NULL;
  attune_result* res = NULL;
  char json[2048];
  char* out = NULL;
  double raw = 0, z = 0, pct = 0, d = 0, a = 0, v = 0, conf = 0;
  unsigned int mask = 0;
  int rc, i;

  CHECK(strlen(attune_version()) > 0);
  CHECK(strstr(attune_disclaimer(), "not a diagnosis") != NULL);
  CHECK(strcmp(attune_error_code_name(ATTUNE_EANSWER), "answer") == 0);
  CHECK(strcmp(attune_category_name(ATTUNE_FEARFUL), "fearful") == 0);

  rc = attune_instrument_list(&out);
  CHECK(rc == ATTUNE_OK && out && strstr(out, "\"ecr-r\"") != NULL);
  attune_string_free(out);
  out = NULL;

  rc = attune_instrument_load(&ins, "ecr-r");
  if (rc != ATTUNE_OK) {
    fprintf(stderr, "cannot load ecr-r: %s\n", attune_error_message());
    return 1;
  }
  CHECK(strcmp(attune_instrument_id(ins), "ecr-r") == 0);

  CHECK(attune_plan_compile(&plan, ins, NULL) == ATTUNE_OK);
  attune_instrument_free(ins); /* the plan does not borrow the instrument */
  CHECK(attune_plan_item_count(plan) == 36);
  CHECK(attune_plan_scale_count(plan) == 2);
  CHECK(strcmp(attune_plan_item_id(plan, 0), "q1") == 0);
  CHECK(attune_plan_item_id(plan, 36) == NULL);
  CHECK(strcmp(attune_plan_scale_id(plan, 1), "avoidance") == 0);

  /* One person from JSON. */
  answers_json(json, sizeof json, 0);
  rc = attune_score_json(&res, plan, json);
  CHECK(rc == ATTUNE_OK);
  if (rc != ATTUNE_OK) fprintf(stderr, "score failed: %s\n", attune_error_message());
  CHECK(attune_result_scale(&raw, &z, &pct, res, "anxiety") == ATTUNE_OK);
  CHECK_NEAR(raw, 94.0 / 18.0);
  CHECK(isnan(z)); /* no published norms: no z */
  CHECK(attune_result_scale(&raw, NULL, NULL, res, "avoidance") == ATTUNE_OK);
  CHECK_NEAR(raw, 84.0 / 18.0);
  CHECK(attune_result_plane(&a, &v, res) == ATTUNE_OK);
  CHECK_NEAR(a, 0.407407407);
  CHECK_NEAR(v, 0.222222222);
  CHECK(attune_result_dimension(&d, res, ATTUNE_FEARFUL) == ATTUNE_OK);
  CHECK_NEAR(d, 17.0 / 27.0 / sqrt(2.0));
  CHECK(attune_result_dimension(&d, res, ATTUNE_SECURE) == ATTUNE_OK);
  CHECK_NEAR(d, -17.0 / 27.0 / sqrt(2.0));
  CHECK(attune_result_dimension(&d, res, ATTUNE_ANXIOUS) == ATTUNE_OK);
  CHECK_NEAR(d, 5.0 / 27.0 / sqrt(2.0));
  CHECK(attune_result_category(&mask, &conf, res) == ATTUNE_OK);
  CHECK(mask == (1u << ATTUNE_FEARFUL));
  CHECK(isnan(conf)); /* ECR-R ships no reliability, so no SEM-based confidence */

  CHECK(attune_result_to_json(&out, res, -1) == ATTUNE_OK);
  CHECK(out && strstr(out, "\"fearful\"") && strstr(out, "not a diagnosis"));
  attune_string_free(out);
  out = NULL;

  /* The recommendation plan: the default pack (loaded lazily from the search path) and the same pack
   * loaded explicitly from its folder give the same JSON; the same result gives the same plan. */
  {
    char* plan_json = NULL;
    char* again = NULL;
    attune_guidance* g = NULL;
    rc = attune_recommend_json(&plan_json, res, NULL, "{\"stage\": \"dating\", \"start\": \"2026-01-05\"}", 2);
    CHECK(rc == ATTUNE_OK);
    if (rc != ATTUNE_OK) fprintf(stderr, "plan failed: %s\n", attune_error_message());
    CHECK(plan_json && strstr(plan_json, "\"focus\"") && strstr(plan_json, "\"disclaimer\""));
    CHECK(plan_json && strstr(plan_json, "not a diagnosis"));
    CHECK(plan_json && strstr(plan_json, "\"dating\""));     /* the context is echoed */
    CHECK(plan_json && strstr(plan_json, "2026-02-03"));       /* day 30 of a schedule starting 2026-01-05 */
    CHECK(attune_guidance_load(&g, ATTUNE_TEST_GUIDANCE_DIR) == ATTUNE_OK && g != NULL);
    CHECK(attune_recommend_json(&again, res, g, "{\"stage\": \"dating\", \"start\": \"2026-01-05\"}", 2) == ATTUNE_OK);
    CHECK(plan_json && again && strcmp(plan_json, again) == 0);
    attune_string_free(again);
    again = NULL;
    /* No context: no dates in the schedule. */
    CHECK(attune_recommend_json(&again, res, g, NULL, -1) == ATTUNE_OK);
    CHECK(again && strstr(again, "\"focus\"") && !strstr(again, "2026-"));
    attune_string_free(again);
    again = NULL;
    /* A misspelt context key fails with its JSON path; a bad date and a bad stage fail too. */
    CHECK(attune_recommend_json(&again, res, g, "{\"stgae\": \"dating\"}", 2) == ATTUNE_EUSAGE && again == NULL);
    CHECK(strcmp(attune_error_json_path(), "/stgae") == 0);
    CHECK(attune_recommend_json(&again, res, g, "{\"start\": \"2026-02-30\"}", 2) == ATTUNE_EUSAGE);
    CHECK(attune_recommend_json(&again, res, g, "{\"stage\": \"married\"}", 2) == ATTUNE_EUSAGE);
    CHECK(strstr(attune_error_expected(), "long_term") != NULL);
    CHECK(attune_recommend_json(&again, NULL, g, NULL, 2) == ATTUNE_EUSAGE);
    attune_guidance_free(g);
    g = NULL;
    CHECK(attune_guidance_load(&g, "xx") == ATTUNE_EUSAGE && g == NULL); /* no such language */
    CHECK(attune_guidance_load(&g, "/nonexistent/guidance/en") < 0 && g == NULL);
    attune_guidance_free(NULL);
    attune_string_free(plan_json);
  }

  /* Unknown scale: usage error, naming the scale. */
  CHECK(attune_result_scale(&raw, NULL, NULL, res, "closeness") == ATTUNE_EUSAGE);
  CHECK(isnan(raw));
  CHECK(strstr(attune_error_message(), "closeness") != NULL);
  attune_result_free(res);
  res = NULL;

  /* The same answers as an array and as a block agree with the JSON path. */
  {
    double answers[2 * 36];
    double block_raw[2 * 2], dims[2 * 4];
    unsigned char cat[2];
    int bad[2];
    for (i = 0; i < 36; ++i) {
      int q = i + 1;
      answers[i] = q == 1 ? 7 : q == 9 ? 3 : q == 11 ? 1 : q <= 18 ? 5 : 2;
      answers[36 + i] = answers[i];
    }
    answers[36 + 4] = 8; /* row 2: q5 out of range */
    CHECK(attune_score_array(&res, plan, answers, 36) == ATTUNE_OK);
    CHECK(attune_result_scale(&raw, NULL, NULL, res, "anxiety") == ATTUNE_OK);
    CHECK_NEAR(raw, 94.0 / 18.0);
    attune_result_free(res);
    res = NULL;
    CHECK(attune_score_array(&res, plan, answers, 35) == ATTUNE_EUSAGE);
    CHECK(res == NULL);

    CHECK(attune_score_block(block_raw, NULL, NULL, dims, cat, NULL, bad, plan, answers, 2) == ATTUNE_OK);
    CHECK_NEAR(block_raw[0], 94.0 / 18.0);
    CHECK_NEAR(block_raw[1], 84.0 / 18.0);
    CHECK_NEAR(dims[ATTUNE_FEARFUL], 17.0 / 27.0 / sqrt(2.0));
    CHECK(cat[0] == (1u << ATTUNE_FEARFUL));
    CHECK(bad[0] == -1);
    CHECK(bad[1] == 4); /* index of q5 */
    CHECK(isnan(block_raw[2]) && cat[1] == 0);
  }

  /* Error path: an out-of-range answer is an answer error naming the item and the value. */
  attune_error_clear();
  CHECK(attune_error_code_last() == ATTUNE_OK);
  answers_json(json, sizeof json, 1);
  rc = attune_score_json(&res, plan, json);
  CHECK(rc == ATTUNE_EANSWER);
  CHECK(res == NULL);
  CHECK(attune_error_code_last() == ATTUNE_EANSWER);
  CHECK(strcmp(attune_error_item(), "q5") == 0);
  CHECK(strcmp(attune_error_value(), "8") == 0);
  CHECK(strstr(attune_error_message(), "q5") != NULL);
  CHECK(strlen(attune_error_expected()) > 0);
  printf("error message: %s\n", attune_error_message());

  /* Malformed JSON, NULL arguments and unknown instruments fail with codes, never crash. */
  CHECK(attune_score_json(&res, plan, "{\"q1\": ") < 0);
  CHECK(strlen(attune_error_message()) > 0);
  CHECK(attune_score_json(&res, NULL, json) == ATTUNE_EUSAGE);
  CHECK(attune_score_json(NULL, plan, json) == ATTUNE_EUSAGE);
  rc = attune_instrument_load(&ins, "no-such-instrument");
  CHECK(rc < 0 && ins == NULL);
  CHECK(strstr(attune_error_message(), "no-such-instrument") != NULL);
  CHECK(attune_instrument_from_json(&ins, "{\"id\": 3}", "mine.json") == ATTUNE_EINSTRUMENT);
  CHECK(strstr(attune_error_message(), "mine.json") != NULL);

  /* Options: version checked; a data scale of 1..5 keys reversed items as 6 - x. */
  {
    attune_scoring_options o = ATTUNE_SCORING_OPTIONS_INIT;
    attune_plan* p5 = NULL;
    CHECK(attune_scoring_options_init(&o, 99) == ATTUNE_EUSAGE);
    CHECK(attune_scoring_options_init(&o, ATTUNE_SCORING_OPTIONS_VERSION) == ATTUNE_OK);
    o.data_scale_min = 1;
    o.data_scale_max = 5;
    CHECK(attune_instrument_load(&ins, "ecr-r") == ATTUNE_OK);
    CHECK(attune_plan_compile(&p5, ins, &o) == ATTUNE_OK);
    /* anxiety items all 2 except q9 = 4 (reversed 6 - 4 = 2): mean 2; avoidance all 3 (reversed 6 - 3 = 3): mean 3 */
    {
      double ans[36];
      for (i = 0; i < 36; ++i) ans[i] = i < 18 ? 2 : 3;
      ans[8] = 4;
      CHECK(attune_score_array(&res, p5, ans, 36) == ATTUNE_OK);
      CHECK(attune_result_scale(&raw, NULL, NULL, res, "anxiety") == ATTUNE_OK);
      /* q11 = 2 reversed is 4: (16*2 + 2 + 4) / 18 = 38/18 */
      CHECK_NEAR(raw, 38.0 / 18.0);
      attune_result_free(res);
      res = NULL;
    }
    o.profile_method = "no-such-method";
    attune_plan_free(p5);
    p5 = NULL;
    CHECK(attune_plan_compile(&p5, ins, &o) < 0 && p5 == NULL);
    attune_instrument_free(ins);
  }

  /* Issue 18: bounded indents, data scales and strict, duplicate-free JSON. */
  {
    char* out2 = NULL;
    attune_scoring_options o = ATTUNE_SCORING_OPTIONS_INIT;
    attune_plan* p2 = NULL;
    answers_json(json, sizeof json, 0);
    CHECK(attune_score_json(&res, plan, json) == ATTUNE_OK);
    /* indent 100000 read past nlohmann's indent buffer (ASan: heap-buffer-overflow) */
    CHECK(attune_result_to_json(&out2, res, 100000) == ATTUNE_EUSAGE && out2 == NULL);
    CHECK(attune_result_to_json(&out2, res, -2) == ATTUNE_EUSAGE && out2 == NULL);
    CHECK(attune_recommend_json(&out2, res, NULL, NULL, 100000) == ATTUNE_EUSAGE && out2 == NULL);
    CHECK(attune_result_to_json(&out2, res, 16) == ATTUNE_OK && out2 != NULL);
    attune_string_free(out2);
    out2 = NULL;
    /* A context key given twice: refused, not the last one silently. */
    CHECK(attune_recommend_json(&out2, res, NULL, "{\"stage\": \"dating\", \"stage\": \"single\"}", -1) == ATTUNE_EUSAGE);
    CHECK(strcmp(attune_error_json_path(), "/stage") == 0);
    CHECK(strstr(attune_error_message(), "duplicate key") != NULL);
    attune_result_free(res);
    res = NULL;
    /* Answers with an item twice, and an unknown item: bad data. */
    CHECK(attune_score_json(&res, plan, "{\"q1\": 3, \"q1\": 5}") == ATTUNE_EANSWER && res == NULL);
    CHECK(attune_score_json(&res, plan, "{\"zz\": 3}") == ATTUNE_EANSWER && res == NULL);

    CHECK(attune_instrument_load(&ins, "ecr-r") == ATTUNE_OK);
    /* min + max of 1..2147483647 overflowed an int */
    o.data_scale_min = 1;
    o.data_scale_max = 2147483647;
    CHECK(attune_plan_compile(&p2, ins, &o) == ATTUNE_EUSAGE && p2 == NULL);
    o.data_scale_min = 0;
    o.data_scale_max = 0;
    o.norms_source = ATTUNE_NORMS_USER;
    o.norms_json = "{\"anxiety\": {\"mean\": 4, \"sd\": 1, \"sd\": 1e-300}, \"avoidance\": {\"mean\": 4, \"sd\": 1}}";
    CHECK(attune_plan_compile(&p2, ins, &o) == ATTUNE_EUSAGE && p2 == NULL);
    CHECK(strcmp(attune_error_json_path(), "/anxiety/sd") == 0);
    o.norms_json = "{\"anxiety\": {\"mean\": 4, \"sd\": 1e-300}, \"avoidance\": {\"mean\": 4, \"sd\": 1}}";
    CHECK(attune_plan_compile(&p2, ins, &o) == ATTUNE_EUSAGE && p2 == NULL);
    o.norms_json = "{\"anxiety\": {\"mean\": 4, \"sd\": 1, \"alpha\": 1.5}, \"avoidance\": {\"mean\": 4, \"sd\": 1}}";
    CHECK(attune_plan_compile(&p2, ins, &o) == ATTUNE_EUSAGE && p2 == NULL);
    o.norms_json = "{\"anxiety\": {\"mean\": 4, \"sd\": 1, \"alpha\": 0.8}, \"avoidance\": {\"mean\": 4, \"sd\": 1}}";
    CHECK(attune_plan_compile(&p2, ins, &o) == ATTUNE_OK && p2 != NULL);
    attune_plan_free(p2);
    attune_instrument_free(ins);
    ins = NULL;
  }

  check_change(plan);
  attune_plan_free(plan);
  attune_plan_free(NULL);
  attune_result_free(NULL);
  attune_instrument_free(NULL);
  attune_string_free(NULL);

  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C ABI: all checks passed\n");
  return 0;
}
