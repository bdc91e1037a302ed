// What `attune plan` and `attune take` share (plan_args.hpp).
#include "plan_args.hpp"

#include "output_file.hpp"

#include <attune/error.hpp>

#include <ctime>
#include <memory>

namespace attune::cli {

namespace {

// "HH:MM" -> minutes after midnight for the .ics alarm; -1 when not asked for.
int reminder_minute(const PlanArgs& a) {
  if (a.ics_reminder.empty()) return -1;
  if (a.ics.empty()) throw UsageError("--ics-reminder sets the alarm of the --ics calendar", {}, "--ics FILE as well");
  const std::string& s = a.ics_reminder;
  auto digit = [&s](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() == 5 && s[2] == ':' && digit(0) && digit(1) && digit(3) && digit(4)) {
    const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h < 24 && m < 60) return h * 60 + m;
  }
  Location where;
  where.value = s;
  throw UsageError("--ics-reminder is not a time of day", where, "HH:MM from 00:00 to 23:59, e.g. 08:30");
}

std::string utc_stamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// The plan and, with --ics, the calendar: both are written and flushed before either is renamed into
// place, so a full disk on the second does not leave the first looking like a complete run.
void write_out(const std::string& path, const std::string& text, const std::string& ics_path, const std::string& ics) {
  OutputFile out(path);
  out.write(text);
  std::unique_ptr<OutputFile> cal;
  if (!ics_path.empty()) {
    cal = std::make_unique<OutputFile>(ics_path);
    cal->write(ics);
  }
  out.flush();
  if (cal) cal->flush();
  out.commit();
  if (cal) cal->commit();
}

}  // namespace

Date today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  Date d;
  d.year = tm.tm_year + 1900;
  d.month = tm.tm_mon + 1;
  d.day = tm.tm_mday;
  return d;
}

Context make_context(const PlanArgs& a) {
  Context c;
  c.stage = a.stage;
  if (a.parent) c.parent = true;
  if (a.no_parent) c.parent = false;
  if (a.single) c.partnered = false;
  if (a.partnered) c.partnered = true;
  c.start = a.start.empty() ? today() : Date::parse(a.start);
  return c;
}

std::string render_plan(const Plan& plan, const Guidance& g, const std::string& format) {
  if (format == "json") return to_json(plan, g) + "\n";
  if (format == "md") return to_markdown(plan, g);
  return to_text(plan, g);
}

void write_plan_output(const PlanArgs& a, const std::string& text, const Plan& plan, const Guidance& g) {
  write_out(a.output, text, a.ics, a.ics.empty() ? std::string() : to_ics(plan, g, utc_stamp(), reminder_minute(a)));
}

void add_context_options(CLI::App* c, PlanArgs& a) {
  c->add_option("--stage", a.stage, "Relationship stage: single, dating, long_term, parenting, separating")
      ->check(CLI::IsMember({"single", "dating", "long_term", "parenting", "separating"}));
  auto* p = c->add_flag("--parent", a.parent, "You are a parent");
  auto* np = c->add_flag("--no-parent", a.no_parent, "You are not a parent");
  p->excludes(np);
  auto* s = c->add_flag("--single", a.single, "You are not in a relationship now");
  auto* pt = c->add_flag("--partnered", a.partnered, "You are in a relationship now");
  s->excludes(pt);
  c->add_option("--start", a.start, "First day of the 30-day schedule, YYYY-MM-DD (default: today)");
  c->add_option("--format", a.format, "Plan output: text (default), md or json")->check(CLI::IsMember({"text", "md", "json"}));
  c->add_option("--ics", a.ics, "Also write the 30 days as an iCalendar file (.ics) for a calendar app, with a reminder to retake the questionnaire on day 31");
  c->add_option("--ics-reminder", a.ics_reminder, "With --ics: a reminder at this local time each day, HH:MM (e.g. 08:30)");
  c->add_option("-o,--output", a.output, "Output file ('-' for standard output)");
  c->add_option("--lang", a.lang, "Language of the guidance pack (default: en)");
  c->add_option("--profile-method", a.method, "Profile method (see 'attune instruments show ID'); default: the instrument's");
}

}  // namespace attune::cli
