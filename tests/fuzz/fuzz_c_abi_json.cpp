// libFuzzer target: the C ABI's JSON entry points, compiled into the target (bindings/c/attune_c.cpp)
// so no shared library is needed. The first byte picks the entry point, the second is the indent
// (-128..127, so the -1..16 bound and its refusals are reached); the rest is the JSON text:
//   0: norms_json of attune_plan_compile (user norms), then scoring and the result JSON
//   1: context_json of attune_recommend_json
//   2: answers of attune_score_json, then attune_result_to_json
//   3: a saved result for attune_compare_json (the fixture's result before it)
//   4: options_json of attune_couple_json (the fixture's result twice)
//   5: a long CSV for attune::compare_long (--long) and the dyad reader (--couples), library calls
// Every call must return ATTUNE_OK or a documented negative code, never ATTUNE_EINTERNAL.
#include "attune.h"
#include "fuzz_common.hpp"

#include <attune/couple.hpp>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

void check_code(int rc) {
  if (rc == ATTUNE_EINTERNAL) attune_fuzz::fail(attune_error_message());
  if (rc != ATTUNE_OK) {
    for (const char* p = attune_error_message(); *p; ++p) {
      const auto c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c == 0x7F) attune_fuzz::fail("a control character in the C ABI's error message");
    }
  }
}

struct Fixture {
  attune_instrument* ins = nullptr;
  attune_plan* plan = nullptr;
  attune_result* res = nullptr;
  std::string saved;  // the fixture's result as JSON, for compare and couple
  Fixture() {
    attune_fuzz::use_source_instruments();
    setenv("ATTUNE_GUIDANCE_PATH", ATTUNE_FUZZ_GUIDANCE, 0);
    if (attune_instrument_load(&ins, "ecr-r") != ATTUNE_OK || attune_plan_compile(&plan, ins, nullptr) != ATTUNE_OK)
      attune_fuzz::fail("fixture: ecr-r");
    double answers[36];
    for (int i = 0; i < 36; ++i) answers[i] = 1 + i % 7;
    if (attune_score_array(&res, plan, answers, 36) != ATTUNE_OK) attune_fuzz::fail("fixture: score");
    char* j = nullptr;
    if (attune_result_to_json(&j, res, -1) != ATTUNE_OK) attune_fuzz::fail("fixture: result JSON");
    saved = j;
    attune_string_free(j);
  }
};

void with_norms(const Fixture& f, const std::string& text, int indent) {
  attune_scoring_options o = ATTUNE_SCORING_OPTIONS_INIT;
  o.norms_source = ATTUNE_NORMS_USER;
  o.norms_json = text.c_str();
  attune_plan* p = nullptr;
  const int rc = attune_plan_compile(&p, f.ins, &o);
  check_code(rc);
  if (rc != ATTUNE_OK) return;
  double answers[36];
  for (int i = 0; i < 36; ++i) answers[i] = 7 - i % 7;
  attune_result* r = nullptr;
  check_code(attune_score_array(&r, p, answers, 36));
  char* out = nullptr;
  if (r) check_code(attune_result_to_json(&out, r, indent));
  attune_string_free(out);
  attune_result_free(r);
  attune_plan_free(p);
}

// The long-file readers throw attune::Error for what they refuse; anything else escaping is a bug.
void long_files(const std::string& text) {
  try {
    std::istringstream in(text);
    attune::LongCompareOptions o;
    o.time_col = "time";
    o.instrument = "ecr";
    o.sd_baseline = true;
    (void)attune::compare_long(in, "<fuzz>", o);
  } catch (const attune::Error&) {
  }
  try {
    std::istringstream in(text);
    std::vector<std::string> names;
    const auto members = attune::dyad_members_from_csv(in, "<fuzz>", "couple", "person", "ecr-r", {}, names);
    (void)attune::dyad_export(members, names, "pairwise");
  } catch (const attune::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture f;
  if (size < 2) return 0;
  const int which = data[0] % 6;
  const int indent = static_cast<std::int8_t>(data[1]);
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);  // C strings end at a NUL
  char* out = nullptr;
  if (which == 0) {
    with_norms(f, text, indent);
  } else if (which == 1) {
    check_code(attune_recommend_json(&out, f.res, nullptr, text.c_str(), indent));
  } else if (which == 3) {
    check_code(attune_compare_json(&out, f.saved.c_str(), text.c_str(), nullptr, nullptr, indent));
  } else if (which == 4) {
    check_code(attune_couple_json(&out, f.saved.c_str(), f.saved.c_str(), nullptr, text.c_str(), indent));
  } else if (which == 5) {
    long_files(text);
  } else {
    attune_result* r = nullptr;
    check_code(attune_score_json(&r, f.plan, text.c_str()));
    if (r) check_code(attune_result_to_json(&out, r, indent));
    attune_result_free(r);
  }
  attune_string_free(out);
  return 0;
}
