// The C ABI over the C++ core. Every entry point runs its body inside guarded(), which turns any
// exception into a stable negative code plus a thread-local record of the error's full detail, so no
// C++ exception ever crosses the C boundary and no detail of the C++ error is lost.
#include "attune.h"
#include "c_internal.hpp"

#include <attune/attune.hpp>
#include <attune/irt_json.hpp>
#include <attune/couple.hpp>
#include <attune/person_norms.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>

using namespace attune_c_detail;

namespace {

// The plan's context from JSON: the library's strict reader (attune::context_from_json).
attune::Context context_from_json(const char* text) {
  if (!text) return {};
  return attune::context_from_json(text, "<context>");
}

// The default pack, loaded on first use. Not a function-local static object: a failed load (no pack
// on the search path) must be retried on the next call rather than stay failed for the process.
const attune::Guidance& default_guidance() {
  static std::mutex m;
  static std::unique_ptr<attune::Guidance> g;
  std::lock_guard<std::mutex> lock(m);
  if (!g) g = std::make_unique<attune::Guidance>(attune::Guidance::load("en"));
  return *g;
}

}  // namespace

extern "C" {

const char* attune_version(void) { return attune::version(); }
const char* attune_disclaimer(void) { return attune::disclaimer(); }

const char* attune_category_name(int category) {
  if (category < 0 || category > 3) return "";
  return attune::to_string(static_cast<attune::Category>(category));
}

const char* attune_error_code_name(int code) {
  switch (code) {
    case ATTUNE_OK: return "ok";
    case ATTUNE_EUSAGE: case ATTUNE_EINSTRUMENT: case ATTUNE_EANSWER: case ATTUNE_EDATA: case ATTUNE_EIO:
    case ATTUNE_ETEXT_PACK: case ATTUNE_ELIMIT: case ATTUNE_EINTERNAL:
      return attune::to_string(static_cast<attune::ErrorKind>(-code));
    default: return "unknown";
  }
}

void attune_string_free(char* s) { std::free(s); }

int attune_error_code_last(void) { return last_error().code; }
const char* attune_error_message(void) { return last_error().message.c_str(); }
const char* attune_error_reason(void) { return last_error().reason.c_str(); }
const char* attune_error_expected(void) { return last_error().expected.c_str(); }
const char* attune_error_file(void) { return last_error().file.c_str(); }
attune_int64 attune_error_row(void) { return last_error().row; }
attune_int64 attune_error_line(void) { return last_error().line; }
attune_int64 attune_error_column(void) { return last_error().column; }
const char* attune_error_column_name(void) { return last_error().column_name.c_str(); }
const char* attune_error_item(void) { return last_error().item.c_str(); }
const char* attune_error_value(void) { return last_error().value.c_str(); }
const char* attune_error_json_path(void) { return last_error().json_path.c_str(); }
void attune_error_clear(void) { set_error(ATTUNE_OK, ""); }

int attune_instrument_list(char** out_json) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    nlohmann::json j = attune::builtin_instrument_ids();
    *out_json = dup_string(j.dump());
  });
}

int attune_instrument_load(attune_instrument** out, const char* id_or_path) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    need(id_or_path, "id_or_path");
    *out = new attune_instrument{attune::load_instrument(id_or_path)};
  });
}

int attune_instrument_from_json(attune_instrument** out, const char* json_text, const char* source_name) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    need(json_text, "json_text");
    *out = new attune_instrument{attune::Instrument::from_json_text(json_text, source_name ? source_name : "<memory>")};
  });
}

void attune_instrument_free(attune_instrument* instrument) { delete instrument; }

const char* attune_instrument_id(const attune_instrument* instrument) {
  return instrument ? instrument->instrument.id.c_str() : nullptr;
}
const char* attune_instrument_name(const attune_instrument* instrument) {
  return instrument ? instrument->instrument.name.c_str() : nullptr;
}

int attune_instrument_to_json(char** out_json, const attune_instrument* instrument) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(instrument, "instrument");
    *out_json = dup_string(instrument->instrument.to_json());
  });
}

int attune_scoring_options_init(attune_scoring_options* options, unsigned int version) {
  return guarded([&] {
    need(options, "options");
    if (version == 0 || version > ATTUNE_SCORING_OPTIONS_VERSION) {
      throw attune::UsageError("attune_scoring_options version " + std::to_string(version) + " is not supported", {},
                               "1.." + std::to_string(ATTUNE_SCORING_OPTIONS_VERSION));
    }
    attune_scoring_options init = ATTUNE_SCORING_OPTIONS_INIT;
    init.version = version;
    *options = init;
  });
}

int attune_plan_compile(attune_plan** out, const attune_instrument* instrument, const attune_scoring_options* options) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    need(instrument, "instrument");
    attune::ScoringOptions so;
    if (options) {
      // Version 1 is the only layout so far; a later version appends fields and reads them only
      // when options->version says the caller's struct has them.
      if (options->version == 0 || options->version > ATTUNE_SCORING_OPTIONS_VERSION) {
        throw attune::UsageError("attune_scoring_options version " + std::to_string(options->version) + " is not supported",
                                 {}, "initialize with ATTUNE_SCORING_OPTIONS_INIT");
      }
      if (options->profile_method) so.profile_method = options->profile_method;
      if (options->data_scale_min != 0 || options->data_scale_max != 0) {
        if (options->data_scale_min >= options->data_scale_max) {
          throw attune::UsageError("data scale " + std::to_string(options->data_scale_min) + ".." +
                                       std::to_string(options->data_scale_max) + " is empty",
                                   {}, "data_scale_min < data_scale_max");
        }
        attune::ResponseScale rs;
        rs.min = options->data_scale_min;
        rs.max = options->data_scale_max;
        so.data_scale = rs;
      }
      switch (options->norms_source) {
        case ATTUNE_NORMS_INSTRUMENT: so.norms_source = attune::NormsSource::instrument; break;
        case ATTUNE_NORMS_MIDPOINT: so.norms_source = attune::NormsSource::midpoint; break;
        case ATTUNE_NORMS_USER: so.norms_source = attune::NormsSource::user; break;
        case ATTUNE_NORMS_SAMPLE: so.norms_source = attune::NormsSource::sample; break;
        default:
          throw attune::UsageError("norms_source " + std::to_string(options->norms_source) + " is unknown", {},
                                   "an attune_norms_source value");
      }
      if (so.norms_source == attune::NormsSource::user || so.norms_source == attune::NormsSource::sample) {
        if (!options->norms_json) throw attune::UsageError("norms_json is NULL", {}, "{\"scale\": {\"mean\": m, \"sd\": s}}");
        // The library's strict reader: duplicate keys, non-numbers and alpha outside (0, 1) fail.
        so.norms = attune::norms_from_json(options->norms_json, "<norms_json>");
        if (options->norms_label) so.norms_label = options->norms_label;
      }
    }
    auto p = new attune_plan{attune::ScoringPlan::compile(instrument->instrument, so), {}, {}};
    try {
      for (const auto& item : p->plan.instrument().items) p->item_ids.push_back(item.id);
      p->method = p->plan.method().name;
    } catch (...) {
      delete p;
      throw;
    }
    *out = p;
  });
}

void attune_plan_free(attune_plan* plan) { delete plan; }

size_t attune_plan_item_count(const attune_plan* plan) { return plan ? plan->plan.item_count() : 0; }
size_t attune_plan_scale_count(const attune_plan* plan) { return plan ? plan->plan.scale_count() : 0; }

const char* attune_plan_item_id(const attune_plan* plan, size_t index) {
  if (!plan || index >= plan->item_ids.size()) return nullptr;
  // Items in plan order: ScoringPlan indexes items in the instrument's order (item_index agrees).
  return plan->item_ids[index].c_str();
}

const char* attune_plan_scale_id(const attune_plan* plan, size_t index) {
  if (!plan || index >= plan->plan.scale_count()) return nullptr;
  return plan->plan.instrument().scales[index].id.c_str();
}

const char* attune_plan_method(const attune_plan* plan) { return plan ? plan->method.c_str() : nullptr; }

int attune_score_json(attune_result** out, const attune_plan* plan, const char* answers_json) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    need(plan, "plan");
    need(answers_json, "answers_json");
    attune::Responses r = attune::responses_from_json(plan->plan, answers_json, "<answers>");
    *out = new attune_result{plan->plan, attune::score(plan->plan, r)};
  });
}

int attune_score_array(attune_result** out, const attune_plan* plan, const double* answers, size_t n) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    need(plan, "plan");
    need(answers, "answers");
    if (n != plan->plan.item_count()) {
      throw attune::UsageError("answers has " + std::to_string(n) + " values", {},
                               std::to_string(plan->plan.item_count()) + " (one per item, NaN = missing)");
    }
    *out = new attune_result{plan->plan, attune::score(plan->plan, answers)};
  });
}

void attune_result_free(attune_result* result) { delete result; }

int attune_result_to_json(char** out_json, const attune_result* result, int indent) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(result, "result");
    *out_json = dup_string(attune::to_json(result->plan, result->result, indent));
  });
}

int attune_result_norms_json(char** out_json, const attune_result* result, const char* norm_set, const char* norm_group,
                             int convert_linear) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(result, "result");
    attune::norms::Choice choice;
    choice.set = norm_set ? norm_set : "";
    choice.group = norm_group ? norm_group : "";
    choice.convert_linear = convert_linear != 0;
    *out_json = dup_string(attune::norms::person_norms_json(result->plan, result->result, choice));
  });
}

int attune_result_scale(double* out_raw, double* out_z, double* out_percentile, const attune_result* result,
                        const char* scale_id) {
  return guarded([&] {
    if (out_raw) *out_raw = kNaN;
    if (out_z) *out_z = kNaN;
    if (out_percentile) *out_percentile = kNaN;
    need(result, "result");
    need(scale_id, "scale_id");
    const attune::ScaleScore* s = result->result.find_scale(scale_id);
    if (!s) {
      attune::Location where;
      where.value = scale_id;
      throw attune::UsageError("no scale '" + std::string(scale_id) + "' in this result", where,
                               "a scale id of instrument " + result->result.instrument_id);
    }
    if (out_raw) *out_raw = s->raw;
    if (out_z) *out_z = s->z;
    if (out_percentile) *out_percentile = s->percentile;
  });
}

int attune_result_dimension(double* out, const attune_result* result, int category) {
  return guarded([&] {
    need(out, "out");
    *out = kNaN;
    need(result, "result");
    if (category < 0 || category > 3) throw attune::UsageError("category " + std::to_string(category) + " is unknown", {}, "0..3");
    *out = result->result.profile.dimension(static_cast<attune::Category>(category));
  });
}

int attune_result_plane(double* out_anxiety, double* out_avoidance, const attune_result* result) {
  return guarded([&] {
    if (out_anxiety) *out_anxiety = kNaN;
    if (out_avoidance) *out_avoidance = kNaN;
    need(result, "result");
    if (out_anxiety) *out_anxiety = result->result.profile.anxiety;
    if (out_avoidance) *out_avoidance = result->result.profile.avoidance;
  });
}

int attune_result_category(unsigned int* out_mask, double* out_confidence, const attune_result* result) {
  return guarded([&] {
    if (out_mask) *out_mask = 0;
    if (out_confidence) *out_confidence = kNaN;
    need(result, "result");
    unsigned int mask = 0;
    for (attune::Category c : result->result.profile.categories) mask |= 1u << static_cast<int>(c);
    if (out_mask) *out_mask = mask;
    if (out_confidence) *out_confidence = result->result.profile.confidence;
  });
}

int attune_score_block(double* out_raw, double* out_z, double* out_percentile, double* out_dimensions,
                       unsigned char* out_category, double* out_confidence, int* out_bad_item, const attune_plan* plan,
                       const double* answers, size_t rows) {
  return guarded([&] {
    need(plan, "plan");
    if (rows == 0) return;
    need(answers, "answers");
    // Score in slices so the temporary buffers stay small however many rows the caller passes.
    constexpr std::size_t kSlice = 4096;
    const std::size_t items = plan->plan.item_count(), S = plan->plan.scale_count();
    attune::BlockScores b;
    for (std::size_t begin = 0; begin < rows; begin += kSlice) {
      const std::size_t n = rows - begin < kSlice ? rows - begin : kSlice;
      attune::score_block(plan->plan, answers + begin * items, n, b);
      auto copy = [&](auto* dst, const auto& src, std::size_t width) {
        if (dst) std::copy(src.begin(), src.begin() + static_cast<std::ptrdiff_t>(n * width), dst + begin * width);
      };
      copy(out_raw, b.raw, S);
      copy(out_z, b.z, S);
      copy(out_percentile, b.percentile, S);
      copy(out_dimensions, b.dimensions, 4);
      copy(out_category, b.category, 1);
      copy(out_confidence, b.confidence, 1);
      copy(out_bad_item, b.bad_item, 1);
    }
  });
}

int attune_guidance_load(attune_guidance** out, const char* lang_or_dir) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    const std::string arg = lang_or_dir && *lang_or_dir ? lang_or_dir : "en";
    // A '/' marks a folder; anything else is a language code on the search path.
    attune::Guidance g = arg.find('/') != std::string::npos ? attune::Guidance::from_directory(arg)
                                                             : attune::Guidance::load(arg);
    *out = new attune_guidance{std::move(g)};
  });
}

void attune_guidance_free(attune_guidance* guidance) { delete guidance; }

int attune_recommend_json(char** out_json, const attune_result* result, const attune_guidance* guidance,
                          const char* context_json, int indent) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(result, "result");
    const attune::Context ctx = context_from_json(context_json);
    const attune::Guidance& g = guidance ? guidance->guidance : default_guidance();
    const attune::Plan plan = attune::recommend(result->plan, result->result, ctx, g);
    *out_json = dup_string(attune::to_json(plan, g, indent));
  });
}

// ---- Item response theory: theta for one person and the adaptive test -------------------------

namespace {

attune_calibration* new_calibration(attune::irt::Calibration c) {
  auto* out = new attune_calibration{attune::irt::Bank(std::move(c)), {}, {}};
  const attune::irt::CatEngine& e = out->bank.cat();
  for (std::size_t j = 0; j < e.item_count(); ++j) out->item_ids.push_back(e.item_id(j));
  for (std::size_t d = 0; d < e.dimension_count(); ++d) out->scale_ids.push_back(e.dimension_id(d));
  return out;
}

}  // namespace

int attune_calibration_load(attune_calibration** out, const char* id_or_path) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    need(id_or_path, "id_or_path");
    *out = new_calibration(attune::irt::load_calibration(id_or_path));
  });
}

int attune_calibration_from_json(attune_calibration** out, const char* json_text, const char* source_name) {
  return guarded([&] {
    need(out, "out");
    *out = nullptr;
    need(json_text, "json_text");
    *out = new_calibration(attune::irt::Calibration::from_json_text(json_text, source_name ? source_name : "<memory>"));
  });
}

void attune_calibration_free(attune_calibration* calibration) { delete calibration; }

size_t attune_calibration_item_count(const attune_calibration* c) { return c ? c->item_ids.size() : 0; }
const char* attune_calibration_item_id(const attune_calibration* c, size_t index) {
  return c && index < c->item_ids.size() ? c->item_ids[index].c_str() : nullptr;
}
size_t attune_calibration_scale_count(const attune_calibration* c) { return c ? c->scale_ids.size() : 0; }
const char* attune_calibration_scale_id(const attune_calibration* c, size_t index) {
  return c && index < c->scale_ids.size() ? c->scale_ids[index].c_str() : nullptr;
}

int attune_calibration_theta_json(char** out_json, const attune_calibration* c, const char* answers_json, const char* method) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(c, "calibration");
    need(answers_json, "answers_json");
    *out_json = dup_string(c->bank.theta_json(answers_json, method ? method : "eap"));
  });
}

int attune_cat_step_json(char** out_json, const attune_calibration* c, const char* request_json) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(c, "calibration");
    need(request_json, "request_json");
    *out_json = dup_string(c->bank.cat_step_json(request_json));
  });
}

int attune_cat_rules_init(attune_cat_rules* rules, unsigned int version) {
  return guarded([&] {
    need(rules, "rules");
    if (version != ATTUNE_CAT_RULES_VERSION) throw attune::UsageError("unknown attune_cat_rules version", {}, "ATTUNE_CAT_RULES_VERSION");
    const attune_cat_rules preset = ATTUNE_CAT_RULES_INIT;
    *rules = preset;
  });
}

int attune_cat_step(int* out_next_item, int* out_reason, double* out_theta, double* out_se, const attune_calibration* c,
                    const int* items, const double* responses, size_t count, const attune_cat_rules* rules) {
  return guarded([&] {
    need(out_next_item, "out_next_item");
    need(out_reason, "out_reason");
    need(c, "calibration");
    if (count > 0) {
      need(items, "items");
      need(responses, "responses");
    }
    if (count > c->item_ids.size()) throw attune::UsageError("more answers than the bank has items", {}, "each item at most once");
    attune::irt::CatRules r;
    if (rules) {
      if (rules->version != ATTUNE_CAT_RULES_VERSION) throw attune::UsageError("unknown attune_cat_rules version", {}, "ATTUNE_CAT_RULES_VERSION");
      r.se_target = rules->se_target, r.min_items = rules->min_items, r.max_items = rules->max_items;
      r.max_total = rules->max_total, r.min_se_change = rules->min_se_change, r.randomesque = rules->randomesque;
      r.seed = static_cast<std::uint64_t>(rules->seed);
    }
    // Kept per thread, so a step allocates nothing once the thread has taken one.
    thread_local std::vector<attune::irt::CatAnswer> answers;
    thread_local attune::irt::CatResult result;
    answers.resize(count);
    for (size_t i = 0; i < count; ++i) answers[i] = {items[i], responses[i]};
    c->bank.cat().step(answers.data(), count, r, result);
    for (size_t d = 0; d < result.dimensions.size(); ++d) {
      if (out_theta) out_theta[d] = result.dimensions[d].theta;
      if (out_se) out_se[d] = result.dimensions[d].se;
    }
    *out_next_item = result.next_item;
    *out_reason = static_cast<int>(result.reason);
  });
}

int attune_compare_json(char** out_json, const char* before_json, const char* after_json, const attune_guidance* guidance,
                        const char* options_json, int indent) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(before_json, "before_json");
    need(after_json, "after_json");
    if (indent < -1 || indent > 16) throw attune::UsageError("indent out of range", {}, "-1 (compact) to 16");
    const attune::Guidance& g = guidance ? guidance->guidance : default_guidance();
    *out_json = dup_string(attune::compare_json(before_json, after_json, options_json ? options_json : "", g, indent));
  });
}

int attune_couple_json(char** out_json, const char* a_json, const char* b_json, const attune_guidance* guidance,
                       const char* options_json, int indent) {
  return guarded([&] {
    need(out_json, "out_json");
    *out_json = nullptr;
    need(a_json, "a_json");
    need(b_json, "b_json");
    if (indent < -1 || indent > 16) throw attune::UsageError("indent out of range", {}, "-1 (compact) to 16");
    const attune::Guidance& g = guidance ? guidance->guidance : default_guidance();
    *out_json = dup_string(attune::couple_json(a_json, b_json, options_json ? options_json : "", g, indent));
  });
}

}  // extern "C"
