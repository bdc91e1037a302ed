// Compiling an instrument into a ScoringPlan: resolve names to indices, choose the norms, and fix the
// centre, unit and error model of the profile, so the per-row kernel does arithmetic only.
#include <attune/scoring_plan.hpp>
#include <attune/error.hpp>
#include <attune/limits.hpp>

#include "plan_data.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>

namespace attune {

namespace {

// "%g" is what `std::ostream << double` writes by default (precision 6); snprintf keeps iostreams
// and locales out of the WebAssembly module.
std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// Sum of the weights an instrument-metric offset picks up: 1 for a mean, n for a sum of n items,
// and the weighted combination of the terms for a derived scale.
double weight_sum(const Instrument& ins, const Scale& s, const std::vector<double>& earlier) {
  if (!s.derived()) return s.aggregation == Aggregation::mean ? 1.0 : static_cast<double>(s.items.size());
  double acc = 0;
  for (const auto& t : s.terms) {
    for (std::size_t i = 0; i < ins.scales.size(); ++i) {
      if (ins.scales[i].id == t.scale) acc += t.weight * earlier[i];
    }
  }
  return s.aggregation == Aggregation::mean ? acc / static_cast<double>(s.terms.size()) : acc;
}

long long lcm_range(long long acc, int from, int to) {
  for (int n = from; n <= to && acc > 0; ++n) {
    acc = acc / std::gcd(acc, static_cast<long long>(n)) * n;
    if (acc > (1LL << 40)) acc = 0;
  }
  return acc;
}

// D such that every score scale s can take (any answers, any gaps allowed by min_answered) is a whole
// multiple of 1/D; 0 when there is none worth using (a weight that is not whole, or D above 2^40).
// Item sums are whole numbers, so a mean over n answered items is a multiple of 1/n, and a derived
// scale with whole weights over present terms t is a multiple of 1/(t * lcm of its terms' D).
double score_grid(const Instrument& ins, std::size_t s, const std::vector<double>& known) {
  const Scale& sc = ins.scales[s];
  if (!sc.derived()) return static_cast<double>(lcm_range(1, sc.min_answered, static_cast<int>(sc.items.size())));
  long long acc = 1;
  for (const auto& t : sc.terms) {
    std::size_t k = 0;
    while (ins.scales[k].id != t.scale) ++k;
    const double dt = known[k] > 0 ? known[k] : score_grid(ins, k, known);
    if (!(dt > 0) || dt > 1e9 || t.weight != std::floor(t.weight) || std::fabs(t.weight) > 1e6) return 0;
    acc = lcm_range(acc, static_cast<int>(dt), static_cast<int>(dt));
    if (acc == 0) return 0;
  }
  return static_cast<double>(lcm_range(acc, sc.min_answered, static_cast<int>(sc.terms.size())));
}

// A quadrant method without a citation cuts where attune chose to: the person is told so.
std::string convention_sentence(const detail::PlanData& d) {
  const char* where = d.method.center_anxiety ? "the fixed cut points"
                      : d.has_norm[static_cast<std::size_t>(d.anxiety)] ? "the norm means"
                                                                          : "the scale midpoint";
  return std::string(" Where the cut lies (") + where + ") is attune's convention, not a published rule.";
}

// The profile's scales, centre, unit and error model, fixed once so the kernel does arithmetic only.
void compile_profile(detail::PlanData& d, const Instrument& ins, const std::vector<double>& ws) {
  const double imin = ins.response_scale.min, imax = ins.response_scale.max;
  // Centre and unit of one profile scale on the instrument metric: norms when chosen and present,
  // else the midpoint with half the range as unit.
  auto centre_unit = [&](int s, double& centre, double& unit) {
    if (d.has_norm[static_cast<std::size_t>(s)]) {
      centre = d.norm_mean[static_cast<std::size_t>(s)];
      unit = d.norm_sd[static_cast<std::size_t>(s)];
    } else {
      double w = ws[static_cast<std::size_t>(s)];
      centre = w * 0.5 * (imin + imax);
      unit = std::fabs(w) * 0.5 * (imax - imin);
      if (!(unit > 0)) {
        throw InstrumentError("profile scale '" + ins.scales[static_cast<std::size_t>(s)].id + "' has no midpoint", {ins.source, -1, -1, -1, "", "", "", "/profile"},
                              "a mean scale, or norms for it");
      }
    }
  };

  if (d.method.type == ProfileMethodType::prototype) {
    for (int c = 0; c < 4; ++c) {
      d.proto[static_cast<std::size_t>(c)] = d.scale_by_id.at(d.method.prototype_scales[static_cast<std::size_t>(c)]);
      centre_unit(d.proto[static_cast<std::size_t>(c)], d.proto_center[static_cast<std::size_t>(c)], d.proto_unit[static_cast<std::size_t>(c)]);
    }
    bool all_sem = true;
    for (int c = 0; c < 4; ++c) all_sem = all_sem && !std::isnan(d.sem[static_cast<std::size_t>(d.proto[static_cast<std::size_t>(c)])]);
    d.confidence_basis = all_sem
        ? "probability that the highest true rating exceeds the runner-up, from each scale's SEM (normal errors)"
        : "not computed: single ratings or scales without a reliability and norm SD have no error model";
  } else {
    d.anxiety = d.scale_by_id.at(d.method.anxiety_scale);
    d.avoidance = d.scale_by_id.at(d.method.avoidance_scale);
    centre_unit(d.anxiety, d.center_anxiety, d.unit_anxiety);
    centre_unit(d.avoidance, d.center_avoidance, d.unit_avoidance);
    if (d.method.center_anxiety) {
      d.center_anxiety = *d.method.center_anxiety;
      d.center_avoidance = *d.method.center_avoidance;
      d.standardization += "; categories cut at anxiety " + fmt(d.center_anxiety) + " and avoidance " + fmt(d.center_avoidance);
    }
    if (d.method.type == ProfileMethodType::fisher) {
      d.confidence_basis = "largest posterior probability: softmax of the classification functions (linear discriminant model, priors as in the published constants)";
    } else if (!std::isnan(d.sem[static_cast<std::size_t>(d.anxiety)]) && !std::isnan(d.sem[static_cast<std::size_t>(d.avoidance)])) {
      d.confidence_basis = "probability that the true scores fall in the same quadrant: Phi(|x - c| / SEM) for each dimension, errors normal and independent";
    } else {
      d.confidence_basis = "not computed: needs a reliability and a norm SD for both dimensions (norms with a reliability for this instrument)";
    }
  }

  switch (d.method.type) {
    case ProfileMethodType::quadrant:
      d.profile_explanation = "Anxiety and avoidance are standardized (" + d.standardization +
                               "). The four patterns lie on the diagonals of that plane: secure = -(a+v)/sqrt2, anxious = (a-v)/sqrt2, "
                               "avoidant = (v-a)/sqrt2, fearful = (a+v)/sqrt2; the category is the quadrant.";
      if (d.method.citation.empty()) d.profile_explanation += convention_sentence(d);
      break;
    case ProfileMethodType::fisher:
      d.profile_explanation = "Category from the published classification functions (largest wins) on the instrument's metric; "
                               "dimensions are the projections on the standardized plane (" + d.standardization + ").";
      break;
    case ProfileMethodType::prototype:
      d.profile_explanation = "The four prototype scales are the four dimensions (standardized: " + d.standardization +
                               "); the category is the highest rating, and ties are reported as ties.";
      break;
  }
  for (int s : {d.anxiety, d.avoidance}) {
    if (s >= 0) d.grid[static_cast<std::size_t>(s)] = score_grid(ins, static_cast<std::size_t>(s), d.grid);
  }
  d.center_data_anxiety = (d.center_anxiety - (d.anxiety >= 0 ? d.metric_b[static_cast<std::size_t>(d.anxiety)] : 0)) / d.metric_k;
  d.center_data_avoidance = (d.center_avoidance - (d.avoidance >= 0 ? d.metric_b[static_cast<std::size_t>(d.avoidance)] : 0)) / d.metric_k;
}

// Norms that give an infinite or meaningless z are refused, whichever way they came (file, C ABI,
// Python dict, a sample): z = (x - mean) / sd stays finite for any answers within +-1000 when
// |mean| <= 1e6 and sd >= 1e-6, and no real sample has a smaller sd on these scales.
void check_norm(const std::string& sid, const Norm& n) {
  Location where;
  where.json_path = "/" + sid;
  auto fail = [&](const std::string& what, double v, const std::string& expected) {
    where.value = fmt(v);
    throw UsageError("norms for scale '" + sid + "' have " + what + " " + fmt(v), where, expected);
  };
  if (!(std::fabs(n.mean) <= 1e6)) fail("mean", n.mean, "a finite mean within -1e6..1e6");
  if (!(n.sd >= 1e-6 && n.sd <= 1e6)) fail("sd", n.sd, "sd from 1e-6 to 1e6");
  if (!(n.alpha == 0 || (n.alpha > 0 && n.alpha < 1))) fail("alpha", n.alpha, "alpha strictly between 0 and 1 (or none)");
  if (n.n < 0) fail("n", static_cast<double>(n.n), "n >= 0");
}

// Which alpha a scale's SEM uses: the instrument's published one unless the caller prefers the
// norms' own (given: the caller's or the sample's norms); `overruled` collects the scales where a
// given alpha was not used, to say so.
double chosen_alpha(const Scale& sc, const Norm* n, bool given, bool prefer_norms, std::string& overruled) {
  const bool norm_alpha = n && n->alpha > 0 && n->alpha < 1;
  if (norm_alpha && ((given && prefer_norms) || !sc.reliability)) return n->alpha;
  if (sc.reliability) {
    if (norm_alpha && given) overruled += (overruled.empty() ? "" : ", ") + sc.id;
    return sc.reliability->alpha;
  }
  return std::nan("");
}

// Checked before any arithmetic: min + max (reverse keying) of 1..2147483647 overflows an int.
void check_data_scale(const ResponseScale& r) {
  auto within = [](int v) { return v >= -kMaxResponseScaleValue && v <= kMaxResponseScaleValue; };  // no std::abs: INT_MIN
  if (!within(r.min) || !within(r.max)) {
    Location where;
    where.value = std::to_string(r.min) + ".." + std::to_string(r.max);
    throw UsageError("response scale " + where.value + " is out of range", where,
                     "both ends within -" + std::to_string(kMaxResponseScaleValue) + ".." + std::to_string(kMaxResponseScaleValue) +
                         ", as for an instrument's response_scale");
  }
  if (r.min >= r.max) {
    throw UsageError("response scale " + std::to_string(r.min) + ".." + std::to_string(r.max) + " is empty", {}, "min < max");
  }
}

// The profile method asked for (none: the instrument's default), refused when the instrument has no
// profile or no method of that name.
const ProfileMethod* chosen_method(const Instrument& ins, const ScoringOptions& opt) {
  const ProfileMethod* m = ins.find_method(opt.profile_method);
  if (!ins.has_profile() && !opt.profile_method.empty()) {
    Location where;
    where.file = ins.source;
    where.value = opt.profile_method;
    throw UsageError("instrument '" + ins.id + "' has no profile, so no profile method '" + opt.profile_method + "'", where,
                     "no --profile-method for this instrument");
  }
  if (ins.has_profile() && !m) {
    std::string names;
    for (const auto& mm : ins.methods) names += (names.empty() ? "" : ", ") + mm.name;
    Location where;
    where.file = ins.source;
    where.value = opt.profile_method;
    throw UsageError("instrument '" + ins.id + "' has no profile method '" + opt.profile_method + "'", where, "one of: " + names);
  }
  return m;
}

void index_names(detail::PlanData& d, const Instrument& ins) {
  d.item_by_position.assign(d.n_items, -1);
  for (std::size_t i = 0; i < d.n_items; ++i) {
    d.item_by_id[ins.items[i].id] = static_cast<int>(i);
    d.item_by_position[static_cast<std::size_t>(ins.items[i].position - 1)] = static_cast<int>(i);
  }
  for (std::size_t s = 0; s < d.n_scales; ++s) d.scale_by_id[ins.scales[s].id] = static_cast<int>(s);
}

// Scale sc's members (its items, or for a derived scale the scales it combines) with their keying
// and weights, in the flat arrays the kernel walks; member_run marks items in consecutive columns.
void append_members(detail::PlanData& d, const Scale& sc) {
  if (sc.derived()) {
    for (const auto& t : sc.terms) {
      d.member_index.push_back(static_cast<std::uint32_t>(d.scale_by_id.at(t.scale)));
      d.member_reverse.push_back(t.reverse ? 1 : 0);
      d.member_weight.push_back(t.weight);
    }
  } else {
    for (const auto& item : sc.items) {
      d.member_index.push_back(static_cast<std::uint32_t>(d.item_by_id.at(item)));
      d.member_reverse.push_back(sc.is_reversed(item) ? 1 : 0);
      d.member_weight.push_back(1.0);
    }
  }
  for (std::size_t k = d.member_slope.size(); k < d.member_index.size(); ++k) {
    d.member_slope.push_back(d.member_reverse[k] ? -1.0 : 1.0);
    d.member_offset.push_back(d.member_reverse[k] ? d.reverse_sum : 0.0);
  }
  const std::uint32_t first = d.member_begin.back();
  d.member_begin.push_back(static_cast<std::uint32_t>(d.member_index.size()));
  bool run = !sc.derived();
  for (std::uint32_t k = first + 1; run && k < d.member_begin.back(); ++k) run = d.member_index[k] == d.member_index[k - 1] + 1;
  d.member_run.push_back(run ? 1 : 0);
}

// Every scale's members and rule, and the offset from the data's scale to the instrument's metric;
// returns each scale's weight sum (weight_sum), which the profile's midpoint needs.
std::vector<double> compile_scales(detail::PlanData& d, const Instrument& ins) {
  const double imin = ins.response_scale.min, imax = ins.response_scale.max;
  d.metric_k = (imax - imin) / (d.data_max - d.data_min);
  std::vector<double> ws(d.n_scales, 0.0);
  d.member_begin.push_back(0);
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    const Scale& sc = ins.scales[s];
    append_members(d, sc);
    d.derived.push_back(sc.derived() ? 1 : 0);
    d.sum_aggregation.push_back(sc.aggregation == Aggregation::sum ? 1 : 0);
    d.min_answered.push_back(sc.min_answered);
    ws[s] = weight_sum(ins, sc, ws);
    d.metric_b.push_back((imin - d.metric_k * d.data_min) * ws[s]);
  }
  return ws;
}

// The norm scale sc uses: the instrument's, the caller's, or none.
const Norm* norm_of(const Scale& sc, const Instrument& ins, const ScoringOptions& opt, bool use_instrument_norms,
                    bool use_given_norms) {
  if (use_instrument_norms) {
    auto it = ins.norms.scales.find(sc.id);
    if (it != ins.norms.scales.end()) return &it->second;
  } else if (use_given_norms) {
    auto it = opt.norms.find(sc.id);
    if (it != opt.norms.end()) return &it->second;
  }
  return nullptr;
}

// Each scale's norm, alpha and SEM; returns the scales whose given alpha was overruled (chosen_alpha).
std::string compile_norms(detail::PlanData& d, const Instrument& ins, const ScoringOptions& opt) {
  const bool use_instrument_norms = opt.norms_source == NormsSource::instrument && ins.norms.published;
  const bool use_given_norms = opt.norms_source == NormsSource::user || opt.norms_source == NormsSource::sample;
  for (const auto& [sid, n] : opt.norms) {
    if (!d.scale_by_id.count(sid)) throw UsageError("norms given for unknown scale '" + sid + "'", {}, "a scale of " + ins.id);
    check_norm(sid, n);
  }
  d.has_norm.assign(d.n_scales, 0);
  d.norm_mean.assign(d.n_scales, std::nan(""));
  d.norm_sd.assign(d.n_scales, std::nan(""));
  d.alpha.assign(d.n_scales, std::nan(""));
  d.grid.assign(d.n_scales, 0.0);
  d.sem.assign(d.n_scales, std::nan(""));
  std::string overruled_alpha;
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    const Scale& sc = ins.scales[s];
    const Norm* n = norm_of(sc, ins, opt, use_instrument_norms, use_given_norms);
    if (n) {
      d.has_norm[s] = 1;
      d.norm_mean[s] = n->mean;
      d.norm_sd[s] = n->sd;
    }
    d.alpha[s] = chosen_alpha(sc, n, use_given_norms, opt.prefer_norms_alpha, overruled_alpha);
    if (n && !std::isnan(d.alpha[s])) d.sem[s] = n->sd * std::sqrt(1.0 - d.alpha[s]);
  }
  return overruled_alpha;
}

// How the scores were standardized, as the plan and the person's result say it.
std::string standardization_text(const Instrument& ins, const ScoringOptions& opt) {
  switch (opt.norms_source) {
    case NormsSource::instrument:
      if (ins.norms.published) {
        const Citation* c = ins.find_citation(ins.norms.citation);
        return "published norms" + (ins.norms.sample.empty() ? std::string() : " (" + ins.norms.sample + ")") +
               (c ? "; " + c->text : std::string());
      }
      return "scale midpoint: the instrument has no published norms; unit = half the response range";
    case NormsSource::midpoint:
      return "scale midpoint (requested); unit = half the response range";
    case NormsSource::user:
      return "norms supplied by the user" + (opt.norms_label.empty() ? std::string() : " (" + opt.norms_label + ")");
    case NormsSource::sample:
      return "norms computed from this sample" + (opt.norms_label.empty() ? std::string() : " (" + opt.norms_label + ")");
  }
  return {};
}

}  // namespace

ScoringPlan ScoringPlan::compile(const Instrument& ins, const ScoringOptions& opt) {
  auto d = std::make_shared<detail::PlanData>();
  d->instrument = ins;
  d->options = opt;
  d->data_scale = opt.data_scale ? *opt.data_scale : ins.response_scale;
  check_data_scale(d->data_scale);
  const ProfileMethod* m = chosen_method(ins, opt);
  d->has_profile = ins.has_profile();
  if (m) d->method = *m;

  d->n_items = ins.items.size();
  d->n_scales = ins.scales.size();
  d->data_min = d->data_scale.min;
  d->data_max = d->data_scale.max;
  d->reverse_sum = d->data_scale.min + d->data_scale.max;
  index_names(*d, ins);
  const std::vector<double> ws = compile_scales(*d, ins);
  const std::string overruled_alpha = compile_norms(*d, ins, opt);
  d->standardization = standardization_text(ins, opt);
  if (!overruled_alpha.empty()) {
    d->standardization += "; SEM from the instrument's published alpha for " + overruled_alpha +
                          ", not the alpha given with the norms (prefer_norms_alpha, --norms-alpha, uses the norms' alpha)";
  }

  if (d->has_profile) compile_profile(*d, ins, ws);
  else d->confidence_basis = d->profile_explanation = "no profile: the instrument defines none";

  ScoringPlan plan;
  plan.data_ = std::move(d);
  return plan;
}

const Instrument& ScoringPlan::instrument() const { return data_->instrument; }
const ScoringOptions& ScoringPlan::options() const { return data_->options; }
const ResponseScale& ScoringPlan::data_scale() const { return data_->data_scale; }
const ProfileMethod& ScoringPlan::method() const { return data_->method; }
bool ScoringPlan::has_profile() const { return data_->has_profile; }
std::size_t ScoringPlan::item_count() const { return data_->n_items; }
std::size_t ScoringPlan::scale_count() const { return data_->n_scales; }
int ScoringPlan::item_index(const std::string& id) const {
  auto it = data_->item_by_id.find(id);
  return it == data_->item_by_id.end() ? -1 : it->second;
}
int ScoringPlan::scale_index(const std::string& id) const {
  auto it = data_->scale_by_id.find(id);
  return it == data_->scale_by_id.end() ? -1 : it->second;
}
const std::string& ScoringPlan::standardization() const { return data_->standardization; }
bool ScoringPlan::has_norms(std::size_t scale) const { return data_->has_norm.at(scale) != 0; }

std::string rescale_note(const ResponseScale& data, const ResponseScale& instrument) {
  if (data == instrument) return {};
  auto text = [](const ResponseScale& r) { return std::to_string(r.min) + ".." + std::to_string(r.max); };
  return "answers rescaled from " + text(data) + " to the instrument's " + text(instrument) +
         " for norms and classifiers, which were made on the instrument's scale: an approximation";
}

std::string rescale_note(const ScoringPlan& plan) { return rescale_note(plan.data_scale(), plan.instrument().response_scale); }

}  // namespace attune
