// Renderings of a Comparison: JSON for programs (numbers and the verdict's id and words), text and
// Markdown for the person. Every sentence comes from the guidance pack (ui.change.*, ui.retake.*).
#include "text_fill.hpp"

#include <attune/retake.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace attune {

namespace {

using ojson = nlohmann::ordered_json;

ojson num_or_null(double x) { return std::isnan(x) ? ojson(nullptr) : ojson(x); }

std::string two(double x) {
  if (std::isnan(x)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string signed_two(double x) {
  if (std::isnan(x)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", x);
  return buf;
}

std::string shown_label(const ScaleChange& s) { return s.label.empty() ? s.id : s.label; }

ojson scale_json(const ScaleChange& s, const Guidance& g) {
  ojson j;
  j["id"] = s.id;
  j["label"] = s.label;
  j["metric"] = s.metric;
  j["before"] = num_or_null(s.before);
  j["after"] = num_or_null(s.after);
  j["difference"] = num_or_null(s.change.difference);
  j["rci"] = num_or_null(s.change.rci);
  j["mdc95"] = num_or_null(s.change.mdc95);
  j["reliable"] = s.change.known ? ojson(s.change.reliable) : ojson(nullptr);
  j["se_before"] = num_or_null(s.se_before);
  j["se_after"] = num_or_null(s.se_after);
  j["s_diff"] = num_or_null(s.change.s_diff);
  j["basis"] = s.basis;
  j["verdict"] = s.verdict_id.substr(std::string("ui.change.verdict.").size());
  j["verdict_text"] = g.ui(s.verdict_id);
  return j;
}

std::string interval_sentence(const Comparison& c, const Guidance& g) {
  if (c.days_apart < 0) return g.ui("ui.change.interval.unknown");
  return detail::fill_key(g.ui(c.days_apart < 14 ? "ui.change.interval.short" : "ui.change.interval.known"), "days", std::to_string(c.days_apart));
}

}  // namespace

std::string to_json(const Comparison& c, const Guidance& g, int indent) {
  ojson j;
  j["instrument"] = {{"id", c.instrument_id}, {"name", c.instrument_name}};
  j["before"] = {{"source", c.before_source}, {"taken", c.before_date.empty() ? ojson(nullptr) : ojson(c.before_date)}};
  j["after"] = {{"source", c.after_source}, {"taken", c.after_date.empty() ? ojson(nullptr) : ojson(c.after_date)}};
  j["days_apart"] = c.days_apart < 0 ? ojson(nullptr) : ojson(c.days_apart);
  j["interval_warning"] = c.days_apart >= 0 && c.days_apart >= 14 ? ojson(nullptr) : ojson(interval_sentence(c, g));
  j["criterion"] = "reliable when |rci| > 1.96 (Jacobson & Truax, 1991); rci = difference / s_diff, s_diff = sqrt(se_before^2 + se_after^2), mdc95 = 1.96 x s_diff";
  j["scales"] = ojson::array();
  for (const auto& s : c.scales) j["scales"].push_back(scale_json(s, g));
  j["disclaimer"] = g.ui("ui.change.closing");
  return j.dump(indent);
}

namespace {

std::string render_person(const Comparison& c, const Guidance& g, bool md) {
  std::string o = md ? "## " + g.ui("ui.change.title") + "\n\n" : g.ui("ui.change.title") + "\n" + std::string(g.ui("ui.change.title").size(), '-') + "\n\n";
  o += g.ui("ui.change.intro") + "\n\n" + interval_sentence(c, g) + "\n\n";
  for (const auto& s : c.scales) {
    o += (md ? "### " : "") + shown_label(s) + (s.metric == "theta" ? " (theta)" : "") + "\n";
    o += (md ? "- " : "  ") + g.ui("ui.change.label.before") + " " + two(s.before) + ", " + g.ui("ui.change.label.now") + " " + two(s.after) + ", " +
         g.ui("ui.change.label.difference") + " " + signed_two(s.change.difference) + "\n";
    if (s.change.known) {
      o += (md ? "- " : "  ") + g.ui("ui.change.label.rci") + " " + signed_two(s.change.rci) + "; " + g.ui("ui.change.label.mdc95") + " " +
           two(s.change.mdc95) + "\n";
    }
    o += (md ? "- " : "  ") + g.ui(s.verdict_id) + "\n";
    o += (md ? "- " : "  ") + g.ui("ui.change.label.basis") + ": " + s.basis + "\n\n";
  }
  o += g.ui("ui.change.closing") + "\n";
  return o;
}

}  // namespace

std::string to_text(const Comparison& c, const Guidance& g) { return render_person(c, g, false); }
std::string to_markdown(const Comparison& c, const Guidance& g) { return render_person(c, g, true); }

std::vector<std::string> retake_acknowledgement(const Comparison& c, const Guidance& g) {
  std::vector<std::string> lines;
  for (const auto& s : c.scales) {
    if (std::isnan(s.before) || std::isnan(s.after)) continue;
    // Without an error model, "went from 3.00 to 3.00" reads as a slip: the same score is said to be the same.
    const bool same = two(s.before) == two(s.after);
    const char* id = !s.change.known ? (same ? "ui.retake.same" : "ui.retake.unknown")
                     : s.change.reliable ? "ui.retake.moved"
                                         : "ui.retake.held";
    lines.push_back(detail::fill_key(detail::fill_key(detail::fill_key(g.ui(id), "scale", shown_label(s)), "before", two(s.before)), "after", two(s.after)));
  }
  if (c.days_apart >= 0 && c.days_apart < 14) lines.push_back(g.ui("ui.retake.soon"));
  lines.push_back(g.ui("ui.retake.closing"));
  return lines;
}

}  // namespace attune
