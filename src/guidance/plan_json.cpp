// A Plan as JSON for apps (self-contained: titles and texts included). Written straight into one
// string: building a JSON document first made the plan ten times slower than choosing it (about 2 ms
// of the 2.5 ms a plan took, natively and in WebAssembly), and the browser and app path asks for it per
// person. The bytes are those nlohmann's serializer wrote before (test "plan JSON: ..." in
// tests/test_plan_json.cpp keeps them so).
#include "guidance_data.hpp"
#include "render_body.hpp"

#include "../text/json_escape.hpp"

#include <attune/limits.hpp>
#include <attune/version.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <string_view>

namespace attune {

namespace {

class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}
  void open(char c) { comma(); out_ += c; first_ = true; }
  void close(char c) { out_ += c; first_ = false; }
  JsonOut& key(const char* k) {
    comma();
    out_ += '"';
    out_ += k;  // keys are ASCII names written here
    out_ += "\":";
    first_ = true;
    return *this;
  }
  void str(std::string_view s) {
    comma();
    // nlohmann names \b and \f; the shared escaper writes them as \u0008 and \u000c.
    if (s.find_first_of("\b\f") == std::string_view::npos) text::append_json_string(out_, s);
    else out_ += nlohmann::ordered_json(std::string(s)).dump();
  }
  void num(double x) {
    comma();
    if (!std::isfinite(x)) {
      out_ += "null";
      return;
    }
    char buf[64];
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, x);  // the serializer's own shortest form
    out_.append(buf, static_cast<std::size_t>(end - buf));
  }
  void integer(long long v) { comma(); out_ += std::to_string(v); }
  void boolean(bool b) { comma(); out_ += b ? "true" : "false"; }
  void null() { comma(); out_ += "null"; }
  void str_or_null(const std::string& s) { if (s.empty()) null(); else str(s); }

 private:
  void comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

void write_source(JsonOut& w, const SourceRef& s, const Guidance& g) {
  const Article* a = g.article(s.article);
  w.open('{');
  w.key("article").str(s.article);
  w.key("title").str(a ? a->title : s.article);
  w.key("section").str(s.section);
  w.close('}');
}

void write_terms(JsonOut& w, const std::vector<WhyTerm>& terms) {
  w.open('[');
  for (const auto& t : terms) {
    w.open('{');
    w.key("term").str(t.term);
    w.key("contribution").num(t.contribution);
    if (t.term != "base" && t.value.empty()) {
      w.key("score").num(t.score);
      w.key("weight").num(t.weight);
    }
    if (!t.value.empty()) w.key("value").str(t.value);
    w.close('}');
  }
  w.close(']');
}

void write_why(JsonOut& w, const Why& why) {
  w.open('{');
  w.key("rule").str(why.rule);
  w.key("text").str(why.text);
  if (!why.terms.empty()) {
    w.key("relevance").num(why.relevance);
    w.key("driver").str_or_null(why.driver);
    w.key("terms");
    write_terms(w, why.terms);
  }
  if (!why.triggers.empty()) {
    w.key("triggers").open('[');
    for (const auto& t : why.triggers) {
      w.open('{');
      w.key("on").str(t.first);
      w.key("value").str(t.second);
      w.close('}');
    }
    w.close(']');
  }
  w.close('}');
}

void write_body(JsonOut& w, const ContentEntry& e, const Guidance& g, const std::string& stage) {
  w.open('[');
  for (const auto& l : detail::body(e, g, stage)) {
    w.open('{');
    w.key("type").str(l.kind == detail::Line::paragraph ? "paragraph" : l.kind == detail::Line::bullet ? "bullet" : "step");
    w.key("text").str(l.text);
    w.close('}');
  }
  w.close(']');
}

// An entry's id, title, body and source, left open for the caller's own fields. A focus step shows
// its own title and source in the entry's places.
void open_entry(JsonOut& w, const std::string& id, const Guidance& g, const std::string& stage, const FocusStep* step = nullptr) {
  const ContentEntry* e = g.find(id);
  w.open('{');
  w.key("id").str(id);
  w.key("title").str(step ? step->title : detail::display_title(*e, g));
  w.key("body");
  write_body(w, *e, g, stage);
  w.key("source");
  write_source(w, step ? step->source : e->source, g);
}

void write_profile(JsonOut& w, const Plan& plan) {
  w.key("profile").open('{');
  w.key("mode").str(plan.mode);
  w.key("care").boolean(plan.care);
  w.key("anxiety").num(plan.anxiety);
  w.key("avoidance").num(plan.avoidance);
  w.key("plane_basis").str(plan.plane_basis);
  w.key("confidence").num(plan.confidence);
  w.key("confidence_note").str(plan.confidence_note);
  w.key("rule_inputs").open('{');
  for (const auto& d : plan.dimensions) w.key(d.first.c_str()).num(d.second);
  w.close('}');
  w.key("neighbours").open('[');
  for (const auto& n : plan.neighbours) w.str(n);
  w.close(']');
  w.close('}');
}

void write_context(JsonOut& w, const Context& c) {
  w.key("context").open('{');
  w.key("stage").str_or_null(c.stage);
  w.key("parent");
  if (c.parent) w.boolean(*c.parent); else w.null();
  w.key("partnered");
  if (c.partnered) w.boolean(*c.partnered); else w.null();
  w.key("start");
  if (c.start) w.str(c.start->iso()); else w.null();
  w.close('}');
}

void write_steps(JsonOut& w, const Plan& plan, const Guidance& g) {
  w.key("more_help");
  if (plan.more_help) {
    w.open('{');
    w.key("why");
    write_why(w, plan.more_help->why);
    w.key("items").open('[');
    for (const auto& id : plan.more_help->items) {
      open_entry(w, id, g, plan.context.stage);
      w.close('}');
    }
    w.close(']');
    w.close('}');
  } else {
    w.null();
  }
  w.key("focus").open('[');
  for (std::size_t i = 0; i < plan.focus.size(); ++i) {
    const FocusStep& f = plan.focus[i];
    open_entry(w, f.id, g, plan.context.stage, &f);
    w.key("rank").integer(static_cast<long long>(i + 1));
    w.key("kind").str(f.kind);
    w.key("why");
    write_why(w, f.why);
    w.close('}');
  }
  w.close(']');
  w.key("scripts").open('[');
  for (const auto& s : plan.scripts) {
    open_entry(w, s.id, g, plan.context.stage);
    w.key("for_steps").open('[');
    for (const auto& id : s.for_steps) w.str(id);
    w.close(']');
    w.key("why");
    write_why(w, s.why);
    w.close('}');
  }
  w.close(']');
}

void write_day(JsonOut& w, const ScheduleDay& d, const Guidance& g) {
  const ContentEntry* week = g.find(d.week);
  w.open('{');
  w.key("day").integer(d.day);
  w.key("date");
  if (d.date) w.str(d.date->iso()); else w.null();
  w.key("week").str(d.week);
  w.key("title").str(week ? week->title : d.week);
  w.key("practice").str(d.practice);
  w.key("today");
  if (d.today.empty()) {
    w.null();
  } else {
    w.open('{');
    w.key("id").str(d.today_id);
    w.key("title").str(d.today_title);
    w.key("text").str(d.today);
    w.close('}');
  }
  w.key("emphasis");
  if (d.emphasis.empty()) {
    w.null();
  } else {
    const ContentEntry* e = g.find(d.emphasis);
    w.open('{');
    w.key("id").str(d.emphasis);
    w.key("text").str(e ? *e->text_field("text") : std::string());
    w.close('}');
  }
  w.close('}');
}

void write_schedule(JsonOut& w, const Plan& plan, const Guidance& g) {
  w.key("schedule").open('{');
  w.key("lean").str_or_null(plan.lean);
  w.key("lean_why");
  if (plan.lean.empty()) w.null(); else write_why(w, plan.lean_why);
  w.key("days").open('[');
  for (const auto& d : plan.schedule) write_day(w, d, g);
  w.close(']');
  w.close('}');
  w.key("sections").open('[');
  for (const auto& s : plan.sections) {
    open_entry(w, s.id, g, plan.context.stage);
    w.key("slot").str(s.slot);
    w.key("why");
    write_why(w, s.why);
    w.close('}');
  }
  w.close(']');
}

}  // namespace

std::string to_json(const Plan& plan, const Guidance& g, int indent) {
  check_json_indent(indent);
  std::string out;
  out.reserve(65536);
  JsonOut w(out);
  w.open('{');
  w.key("format").str("attune-plan/1");
  w.key("lang").str(plan.lang);
  w.key("instrument").str(plan.instrument_id);
  w.key("headline").str(plan.headline);
  w.key("lead").str(plan.care ? "more_help" : "focus");
  write_profile(w, plan);
  write_context(w, plan.context);
  write_steps(w, plan, g);
  write_schedule(w, plan, g);
  w.key("disclaimer").str(plan.disclaimer);
  w.key("attune_version").str(version());
  w.close('}');
  if (indent < 0) return out;
  return nlohmann::ordered_json::parse(out).dump(indent);  // pretty printing is for people, not the hot path
}

}  // namespace attune
