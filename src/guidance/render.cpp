// Renderings of a Plan for a person: plain text and Markdown, and iCalendar for the 30 days (the JSON
// for apps is plan_json.cpp). All texts come from the pack; this file only decides layout.
#include "guidance_data.hpp"
#include "render_body.hpp"
#include "text_fill.hpp"

#include <attune/error.hpp>
#include <attune/version.hpp>

#include <attune/limits.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

namespace attune {

namespace {

using detail::replace_all;

// One free-text field as a paragraph: a fact, myth, when or template carries its label.
std::string labelled_text(const std::string& field, const std::string& text, const Guidance& g) {
  for (const char* f : {"fact", "myth", "when", "template"}) {
    if (field == f) return g.ui(std::string("ui.label.") + f) + ": " + text;
  }
  return text;
}

}  // namespace

namespace detail {

std::string display_title(const ContentEntry& e, const Guidance& g) {
  if (!e.title.empty()) return e.title;
  if (const std::string* m = e.text_field("myth")) return g.ui("ui.label.myth") + ": " + *m;
  return e.id;
}

// One generic layout for every kind keeps a translation free to add fields without touching code.
std::vector<Line> body(const ContentEntry& e, const Guidance& g, const std::string& stage) {
  std::vector<Line> out;
  for (const auto& t : e.texts) {
    if (t.first == "myth" && e.title.empty()) continue;  // already the title
    if (t.first == "note" && !e.lists.empty()) continue;  // after the lists, below
    out.push_back({Line::paragraph, labelled_text(t.first, t.second, g)});
  }
  for (const auto& l : e.lists) {
    if (l.field == "day_practices") continue;  // one per calendar day: the schedule and the .ics show them
    for (const auto& it : l.items) {
      std::string lead = !it.title.empty() ? it.title : it.when;
      out.push_back({l.field == "steps" ? Line::step : Line::bullet, lead.empty() ? it.text : lead + ": " + it.text});
    }
  }
  if (const std::string* note = e.text_field("note"); note && !e.lists.empty()) out.push_back({Line::paragraph, *note});
  if (e.examples.size() == 1) {
    out.push_back({Line::paragraph, g.ui("ui.label.example") + ": " + e.examples[0]});
  } else if (!e.examples.empty()) {
    out.push_back({Line::paragraph, g.ui("ui.label.example") + ":"});
    for (const auto& x : e.examples) out.push_back({Line::bullet, x});
  }
  if (auto it = e.for_stage.find(stage); it != e.for_stage.end())
    out.push_back({Line::paragraph, g.ui("ui.label.for_stage") + ": " + it->second});
  return out;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Text and Markdown share one walk; only the markup differs.

namespace {

struct Writer {
  bool md;
  const Guidance& g;
  std::string stage;  // the plan's relationship stage: practices for two add their wording for it
  // A plain string with <<, not std::ostringstream: streams bring iostreams and locales (about 50 KB)
  // into the WebAssembly module, which is otherwise free of them.
  struct Text {
    std::string s;
    Text& operator<<(const std::string& x) { s += x; return *this; }
    Text& operator<<(const char* x) { s += x; return *this; }
    Text& operator<<(char c) { s += c; return *this; }
    Text& operator<<(int n) { s += std::to_string(n); return *this; }
  } o;

  void heading(int level, const std::string& s) {
    if (md) {
      o << std::string(static_cast<std::size_t>(level), '#') << ' ' << s << "\n\n";
    } else {
      o << s << "\n" << std::string(level == 1 ? 60 : level == 2 ? 40 : 0, level == 1 ? '=' : '-') << (level <= 2 ? "\n" : "") << "\n";
    }
  }
  void para(const std::string& s, int indent = 0) { o << std::string(static_cast<std::size_t>(indent), ' ') << s << "\n\n"; }
  void lines(const std::vector<detail::Line>& ls, int indent = 0) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    int n = 0;
    bool in_list = false;
    for (const auto& l : ls) {
      if (l.kind == detail::Line::paragraph) {
        if (in_list) o << "\n";
        in_list = false;
        n = 0;
        o << pad << l.text << "\n\n";
      } else {
        in_list = true;
        if (l.kind == detail::Line::step) o << pad << ++n << ". " << l.text << "\n";
        else o << pad << (md ? "- " : "* ") << l.text << "\n";
      }
    }
    if (in_list) o << "\n";
  }
  std::string em(const std::string& s) const { return md ? "*" + s + "*" : s; }
  std::string strong(const std::string& s) const { return md ? "**" + s + "**" : s; }
  std::string source(const SourceRef& s) const {
    const Article* a = g.article(s.article);
    return g.ui("ui.label.source") + ": " + (a ? a->title : s.article) + ", \"" + s.section + "\"";
  }
  void entry(const std::string& id, int level) {
    const ContentEntry* e = g.find(id);
    heading(level, detail::display_title(*e, g));
    lines(detail::body(*e, g, stage));
  }
};

std::vector<const PlanEntry*> slot_entries(const Plan& plan, const std::string& slot) {
  std::vector<const PlanEntry*> out;
  for (const auto& s : plan.sections) {
    if (s.slot == slot) out.push_back(&s);
  }
  return out;
}

void render_more_help(Writer& w, const Plan& plan, const Guidance& g) {
  for (const auto& id : plan.more_help->items) {
    const ContentEntry* e = g.find(id);
    if (e->kind == "care" && e->texts.empty() && e->lists.empty()) {
      // A care text with a title only (care.heading) opens the care block as its heading.
      w.heading(2, detail::display_title(*e, g));
      continue;
    }
    w.entry(id, 3);
  }
  w.para(w.em(g.ui("ui.label.why") + ": " + plan.more_help->why.text));
}

void render_focus(Writer& w, const Plan& plan, const Guidance& g) {
  w.heading(2, g.ui("ui.section.focus"));
  for (const auto* e : slot_entries(plan, "roadmap")) w.lines(detail::body(*g.find(e->id), g, w.stage));
  for (std::size_t i = 0; i < plan.focus.size(); ++i) {
    const FocusStep& f = plan.focus[i];
    w.heading(3, std::to_string(i + 1) + ". " + f.title);
    w.lines(detail::body(*g.find(f.id), g, w.stage));
    w.para(w.em(g.ui("ui.label.why") + ": " + f.why.text));
    w.para(w.em(w.source(f.source)));
  }
  if (!plan.scripts.empty()) {
    w.heading(2, g.ui("ui.section.scripts"));
    for (const auto& s : plan.scripts) {
      w.entry(s.id, 3);
      w.para(w.em(s.why.text));
    }
  }
}

// The 30 days, one heading per week with its days (and dates), its practice and its emphasis.
void render_schedule(Writer& w, const Plan& plan, const Guidance& g) {
  w.heading(2, g.ui("ui.section.schedule"));
  for (const auto* e : slot_entries(plan, "plan30")) {
    const ContentEntry* c = g.find(e->id);
    if (c->kind == "week") continue;  // weeks are shown with their dates below
    w.lines(detail::body(*c, g, w.stage));
  }
  for (std::size_t i = 0; i < plan.schedule.size();) {
    const std::string& week = plan.schedule[i].week;
    std::size_t j = i;
    while (j < plan.schedule.size() && plan.schedule[j].week == week) ++j;
    const ScheduleDay& first = plan.schedule[i];
    const ScheduleDay& last = plan.schedule[j - 1];
    const ContentEntry* c = g.find(week);
    std::string range = replace_all(replace_all(g.ui("ui.label.days"), "{first}", std::to_string(first.day)), "{last}", std::to_string(last.day));
    if (first.date) range += ", " + first.date->iso() + " - " + last.date->iso();
    w.heading(3, c->title + " (" + range + ")");
    w.para(first.practice);
    if (!first.emphasis.empty()) w.para(*g.find(first.emphasis)->text_field("text"));
    i = j;
  }
  if (!plan.lean.empty()) w.para(w.em(g.ui("ui.label.why") + ": " + plan.lean_why.text));
}

std::string render(const Plan& plan, const Guidance& g, bool md) {
  Writer w{md, g, plan.context.stage, {}};
  w.heading(1, g.ui("ui.plan_title"));
  w.para(w.strong(plan.headline));
  w.para(w.em(plan.disclaimer));
  if (plan.more_help) render_more_help(w, plan, g);
  for (const auto* e : slot_entries(plan, "notes")) {
    if (e->id == "disclaimer.not_a_diagnosis") continue;  // already shown under the headline
    w.entry(e->id, 2);  // right under the plan's title: level 2, so headings never skip a level
  }
  render_focus(w, plan, g);
  render_schedule(w, plan, g);
  for (const std::string slot : {"pattern", "selfhelp", "repair", "context", "keep_in_mind", "background", "closing"}) {
    auto items = slot_entries(plan, slot);
    if (slot == "selfhelp") continue;  // the intro only frames the focus list
    if (items.empty()) continue;
    w.heading(2, g.ui("ui.slot." + slot));
    for (const auto* e : items) w.entry(e->id, 3);
  }
  return std::move(w.o.s);
}

}  // namespace

std::string to_text(const Plan& plan, const Guidance& g) { return render(plan, g, false); }
std::string to_markdown(const Plan& plan, const Guidance& g) { return render(plan, g, true); }

// ---------------------------------------------------------------------------------------------
// iCalendar (RFC 5545): CRLF line ends, content lines folded at 75 octets without splitting a UTF-8
// sequence, TEXT values escaped, one all-day VEVENT per day.

namespace {

std::string ics_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') { o += '\\'; o += c; }
    else if (c == '\n') o += "\\n";
    else if (c != '\r') o += c;
  }
  return o;
}

void ics_line(std::string& out, const std::string& line) {
  std::size_t pos = 0, limit = 75;
  while (line.size() - pos > limit) {
    std::size_t cut = pos + limit;
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    out.append(line, pos, cut - pos);
    out += "\r\n ";
    pos = cut;
    limit = 74;  // the leading space of a continuation line counts
  }
  out.append(line, pos, std::string::npos);
  out += "\r\n";
}

std::uint32_t fnv1a(const std::string& s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) { h ^= c; h *= 16777619u; }
  return h;
}

}  // namespace

namespace {

// A display alarm at a time of the (all-day) event's day: floating, so it rings at that local time.
void ics_alarm(std::string& out, int minute, const std::string& summary) {
  if (minute < 0) return;
  ics_line(out, "BEGIN:VALARM");
  ics_line(out, "ACTION:DISPLAY");
  ics_line(out, "DESCRIPTION:" + ics_escape(summary));
  ics_line(out, "TRIGGER:PT" + std::to_string(minute / 60) + "H" + std::to_string(minute % 60) + "M");
  ics_line(out, "END:VALARM");
}

void ics_event(std::string& out, const std::string& uid, const std::string& stamp, const Date& date, const std::string& summary,
               const std::string& desc, int reminder_minute) {
  ics_line(out, "BEGIN:VEVENT");
  ics_line(out, "UID:" + uid);
  ics_line(out, "DTSTAMP:" + stamp);
  ics_line(out, "DTSTART;VALUE=DATE:" + date.compact());
  ics_line(out, "DTEND;VALUE=DATE:" + date.plus_days(1).compact());
  ics_line(out, "SUMMARY:" + ics_escape(summary));
  ics_line(out, "DESCRIPTION:" + ics_escape(desc));
  ics_line(out, "TRANSP:TRANSPARENT");
  ics_alarm(out, reminder_minute, summary);
  ics_line(out, "END:VEVENT");
}

}  // namespace

std::string to_ics(const Plan& plan, const Guidance& g, const std::string& dtstamp, int reminder_minute) {
  if (!plan.context.start) throw UsageError("an iCalendar file needs a start date", {}, "Context::start (--start YYYY-MM-DD)");
  const std::string stamp = dtstamp.empty() ? plan.context.start->compact() + "T000000Z" : dtstamp;
  if (stamp.size() != 16 || stamp[8] != 'T' || stamp[15] != 'Z') {
    Location where;
    where.value = stamp;
    throw UsageError("DTSTAMP must be a UTC date-time", where, "YYYYMMDDTHHMMSSZ");
  }
  if (reminder_minute < -1 || reminder_minute >= 24 * 60) {
    Location where;
    where.value = std::to_string(reminder_minute);
    throw UsageError("reminder time out of range", where, "minutes after midnight, 0 to 1439, or -1 for none");
  }
  // The UID must stay the same when the same plan is exported again (calendar apps then update
  // instead of duplicating), and differ between plans: derive it from the plan's content.
  std::string key = plan.context.start->iso() + "|" + plan.lean + "|" + plan.lang;
  for (const auto& f : plan.focus) key += "|" + f.id;
  char tag[16];
  std::snprintf(tag, sizeof tag, "%08x", fnv1a(key));
  const std::string uid = "attune-" + std::string(tag) + "-day";
  std::string out;
  ics_line(out, "BEGIN:VCALENDAR");
  ics_line(out, "VERSION:2.0");
  ics_line(out, std::string("PRODID:-//attune//attune ") + version() + "//" + plan.lang);
  ics_line(out, "CALSCALE:GREGORIAN");
  ics_line(out, "METHOD:PUBLISH");
  ics_line(out, "X-WR-CALNAME:" + ics_escape(g.ui("ui.ics.calendar")));
  for (const auto& d : plan.schedule) {
    const ContentEntry* week = g.find(d.week);
    // Each day its own practice (a week's theme repeated seven times reads as a chore), then the
    // week's theme and its emphasis for this person.
    std::string desc = d.today.empty() ? d.practice : d.today + "\n\n" + week->title + ": " + d.practice;
    if (!d.emphasis.empty()) desc += "\n\n" + *g.find(d.emphasis)->text_field("text");
    desc += "\n\n" + plan.disclaimer;
    const std::string title = d.today.empty() ? week->title : d.today_title;
    const std::string summary = replace_all(replace_all(g.ui("ui.ics.summary"), "{day}", std::to_string(d.day)), "{title}", title);
    ics_event(out, uid + std::to_string(d.day) + "@attune.invalid", stamp, *d.date, summary, desc, reminder_minute);
  }
  // The day after the 30: a nudge to take the questionnaire again, so change can be seen, not guessed.
  const Date retake = plan.context.start->plus_days(static_cast<int>(plan.schedule.size()));
  ics_event(out, uid + "-retake@attune.invalid", stamp, retake, g.ui("ui.ics.retake_summary"),
            g.ui("ui.ics.retake_text") + "\n\n" + plan.disclaimer, reminder_minute);
  ics_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace attune
