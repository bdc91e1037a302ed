// A Result as JSON, with a sentence per number saying how it was computed: every result explainable.
// Written directly (no JSON DOM): one person's JSON in to JSON out is a hot path for apps.
#include <attune/score.hpp>
#include <attune/version.hpp>

#include "charconv_compat.hpp"
#include "text/json_escape.hpp"
#include "plan_data.hpp"

#include <attune/limits.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace attune {

const char* version() noexcept { return ATTUNE_VERSION_STRING; }

const char* disclaimer() noexcept {
  return "This is not a diagnosis. Attachment is dimensional: the scores describe tendencies on a continuum, "
         "and the category is a simplification of them. Patterns can and do change.";
}

namespace {

// The shortest text that reads back as the same double (std::to_chars, C++17).
void put_number(std::string& out, double x) {
  if (std::isnan(x) || std::isinf(x)) {
    out += "null";
    return;
  }
  char buf[32];
  out.append(buf, static_cast<std::size_t>(detail::shortest_double(x, buf)));
}

// Short form for sentences.
void put_g(std::string& out, double x) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.6g", x);
  out.append(buf, static_cast<std::size_t>(n));
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void open(char c) { comma(); out_ += c; first_ = true; }
  void close(char c) { out_ += c; first_ = false; }
  void key(const char* k) {
    comma();
    text::append_json_string(out_, k);
    out_ += ':';
    first_ = true;  // the value follows without a comma
  }
  void str(std::string_view s) { comma(); text::append_json_string(out_, s); }
  void num(double x) { comma(); put_number(out_, x); }
  void integer(long long v) { comma(); out_ += std::to_string(v); }
  void boolean(bool b) { comma(); out_ += b ? "true" : "false"; }
  void null() { comma(); out_ += "null"; }
  std::string& raw() { return out_; }

 private:
  void comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

void explain_scale(std::string& e, const detail::PlanData& d, std::size_t s, const ScaleScore& sc) {
  const Scale& def = d.instrument.scales[s];
  e += def.aggregation == Aggregation::mean ? "mean of " : "sum of ";
  if (def.derived()) {
    for (std::size_t k = 0; k < def.terms.size(); ++k) {
      const auto& t = def.terms[k];
      if (k) e += ", ";
      if (t.weight != 1) { put_g(e, t.weight); e += " x "; }
      if (t.reverse) e += "reversed ";
      e += t.scale;
    }
  } else {
    e += std::to_string(sc.answered) + " answered of " + std::to_string(sc.members) + " items";
    if (!def.reverse.empty()) {
      e += "; reverse-keyed as ";
      put_g(e, d.reverse_sum);
      e += " - x: ";
      for (std::size_t k = 0; k < def.reverse.size(); ++k) { if (k) e += ", "; e += def.reverse[k]; }
    }
  }
  if (std::isnan(sc.raw)) {
    e += "; missing: " + sc.missing_reason;
  } else {
    e += " = ";
    put_g(e, sc.raw);
    if (def.aggregation == Aggregation::sum && sc.answered < sc.members && !def.derived()) e += " (prorated)";
  }
  if (!std::isnan(sc.z)) {
    e += d.metric_k != 1 ? "; z = (rescaled score - " : "; z = (score - ";
    put_g(e, d.norm_mean[s]);
    e += ") / ";
    put_g(e, d.norm_sd[s]);
    e += " = ";
    put_g(e, sc.z);
    e += ", percentile = 100 x Phi(z) = ";
    put_g(e, sc.percentile);
  }
  if (!std::isnan(sc.sem)) {
    e += "; SEM = sd x sqrt(1 - ";
    put_g(e, d.alpha[s]);
    e += ")";
  }
}

const char* const kDims[4] = {"secure", "anxious", "avoidant", "fearful"};

// The profile object; an instrument without a profile has none.
void write_profile(Writer& w, const detail::PlanData& d, const Profile& p) {
  const Instrument& ins = d.instrument;
  w.key("profile");
  w.open('{');
  w.key("method"); w.str(p.method);
  if (!d.method.citation.empty()) {
    const Citation* c = ins.find_citation(d.method.citation);
    w.key("method_citation"); w.str(c ? c->text : d.method.citation);
  }
  w.key("standardization"); w.str(d.standardization);
  w.key("dimensions");
  w.open('{');
  for (int c = 0; c < 4; ++c) { w.key(kDims[c]); w.num(p.dimensions[static_cast<std::size_t>(c)]); }
  w.close('}');
  if (p.type != ProfileMethodType::prototype) {
    w.key("plane");
    w.open('{');
    w.key("anxiety"); w.num(p.anxiety);
    w.key("avoidance"); w.num(p.avoidance);
    w.close('}');
  }
  w.key("category");
  if (p.categories.empty()) {
    w.null();
  } else {
    std::string joined;
    for (Category c : p.categories) { if (!joined.empty()) joined += '|'; joined += to_string(c); }
    w.str(joined);
    if (p.categories.size() > 1) {
      w.key("tie");
      w.open('[');
      for (Category c : p.categories) w.str(to_string(c));
      w.close(']');
    }
  }
  w.key("confidence"); w.num(p.confidence);
  w.key("confidence_basis"); w.str(p.confidence_basis);
  if (p.type == ProfileMethodType::fisher) {
    w.key("posterior");
    w.open('{');
    for (int c = 0; c < 4; ++c) { w.key(kDims[c]); w.num(p.posterior[static_cast<std::size_t>(c)]); }
    w.close('}');
  }
  w.key("explanation"); w.str(d.profile_explanation);
  w.close('}');
}


}  // namespace

std::string to_json(const ScoringPlan& plan, const Result& r, int indent) {
  check_json_indent(indent);
  const auto& d = plan.data();
  const Instrument& ins = d.instrument;
  std::string out;
  out.reserve(4096);
  Writer w(out);
  w.open('{');
  w.key("instrument");
  w.open('{');
  const Citation* cite = ins.find_citation(ins.key_source);
  w.key("id"); w.str(ins.id);
  w.key("version"); w.str(ins.version);
  w.key("name"); w.str(ins.name);
  w.key("citation"); w.str(cite ? cite->text : "");
  w.close('}');
  w.key("response_scale");
  w.open('{');
  w.key("min"); w.integer(d.data_scale.min);
  w.key("max"); w.integer(d.data_scale.max);
  if (!(d.data_scale == ins.response_scale)) {
    w.key("rescaled_to");
    w.open('{');
    w.key("min"); w.integer(ins.response_scale.min);
    w.key("max"); w.integer(ins.response_scale.max);
    w.close('}');
    // Norms and classifiers were made on the instrument's scale: said once, with the figures.
    w.key("note"); w.str(rescale_note(plan));
  }
  w.close('}');
  w.key("scales");
  w.open('[');
  std::string explanation;
  for (std::size_t s = 0; s < r.scales.size(); ++s) {
    const ScaleScore& sc = r.scales[s];
    w.open('{');
    w.key("id"); w.str(sc.id);
    w.key("label"); w.str(ins.scales[s].label);
    w.key("raw"); w.num(sc.raw);
    w.key("answered"); w.integer(sc.answered);
    w.key("members"); w.integer(sc.members);
    w.key("min_answered"); w.integer(sc.min_answered);
    w.key("z"); w.num(sc.z);
    w.key("percentile"); w.num(sc.percentile);
    w.key("sem"); w.num(sc.sem);
    w.key("ci95");
    if (std::isnan(sc.ci_low)) {
      w.null();
    } else {
      w.open('[');
      w.num(sc.ci_low);
      w.num(sc.ci_high);
      w.close(']');
    }
    explanation.clear();
    explain_scale(explanation, d, s, sc);
    w.key("explanation"); w.str(explanation);
    if (!sc.missing_reason.empty()) { w.key("missing_reason"); w.str(sc.missing_reason); }
    w.close('}');
  }
  w.close(']');

  if (d.has_profile) write_profile(w, d, r.profile);
  w.key("notes");
  w.open('[');
  for (const auto& n : r.notes) w.str(n);
  w.close(']');
  // The standard sentence speaks of attachment; a questionnaire without a profile gets its first part.
  w.key("disclaimer"); w.str(d.has_profile ? disclaimer() : "This is not a diagnosis. The scores describe tendencies on a continuum.");
  w.key("attune_version"); w.str(version());
  w.close('}');
  if (indent < 0) return out;
  return nlohmann::json::parse(out).dump(indent);  // pretty printing is for people, not the hot path
}

}  // namespace attune
