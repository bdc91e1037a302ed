// Renderings of a CoupleView: JSON (coordinates, intervals, differences, practices with why) and, for
// the two people, text and Markdown with a small plane drawn in characters. Words from ui.couple.*.
#include <attune/couple.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace attune {

namespace {

using cjson = nlohmann::ordered_json;

cjson couple_num(double x) { return std::isnan(x) ? cjson(nullptr) : cjson(x); }

std::string couple_two(double x) {
  if (std::isnan(x)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string couple_sub(std::string text, const std::string& key, const std::string& value) {
  const std::string mark = "{" + key + "}";
  for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size())) text.replace(at, mark.size(), value);
  return text;
}

cjson dimension_json(double score, double se) {
  cjson j;
  j["score"] = couple_num(score);
  j["se"] = couple_num(se);
  j["ci95"] = std::isnan(se) || std::isnan(score) ? cjson(nullptr) : cjson::array({score - 1.96 * se, score + 1.96 * se});
  return j;
}

std::string with_interval(double score, double se) {
  if (std::isnan(se) || std::isnan(score)) return couple_two(score);
  return couple_two(score) + " (" + couple_two(score - 1.96 * se) + " to " + couple_two(score + 1.96 * se) + ")";
}

const ScaleChange* dimension(const CoupleView& v, const std::string& id) {
  for (const auto& s : v.differences.scales) if (s.id == id) return &s;
  return nullptr;
}

std::string difference_sentence(const CoupleView& v, const ScaleChange& d, const Guidance& g) {
  const std::string label = d.label.empty() ? d.id : d.label;
  std::string s;
  if (std::isnan(d.before) || std::isnan(d.after)) return couple_sub(g.ui("ui.couple.diff.missing"), "scale", label);
  if (!d.change.known) s = couple_sub(g.ui("ui.couple.diff.unknown"), "scale", label);
  else if (!d.change.reliable) s = couple_sub(g.ui("ui.couple.diff.within"), "scale", label);
  else s = couple_sub(couple_sub(g.ui("ui.couple.diff.reliable"), "scale", label), "who", v.people[d.change.difference > 0 ? 1 : 0].name);
  return s;
}

// Avoidance across, anxiety up; each person's letter at their scores (both share a cell as '*').
std::string ascii_plane(const CoupleView& v) {
  const int w = 25, h = 9;
  const double lo = v.metric == "theta" ? -3 : v.scale_min, hi = v.metric == "theta" ? 3 : v.scale_max;
  std::vector<std::string> grid(h, std::string(w, '.'));
  for (std::size_t k = 0; k < 2; ++k) {
    const CouplePosition& p = v.people[k];
    if (std::isnan(p.anxiety) || std::isnan(p.avoidance)) continue;
    auto cell = [&](double x, int n) { return std::max(0, std::min(n - 1, static_cast<int>(std::lround((x - lo) / (hi - lo) * (n - 1))))); };
    char& c = grid[static_cast<std::size_t>(h - 1 - cell(p.anxiety, h))][static_cast<std::size_t>(cell(p.avoidance, w))];
    c = c == '.' ? static_cast<char>('A' + k) : '*';
  }
  std::string o = "    anxiety\n";
  for (const auto& row : grid) o += "    |" + row + "\n";
  o += "    +" + std::string(w, '-') + "> avoidance\n";
  return o;
}

// The plan's general crisis line (care.crisis in rules.json), so the two views never differ on it.
std::string care_crisis(const Guidance& g) {
  const ContentEntry* e = g.find("care.crisis");
  if (!e) return std::string();
  const std::string* t = e->text_field("text");
  return t ? *t : std::string();
}

}  // namespace

std::string to_json(const CoupleView& v, const Guidance& g, int indent) {
  cjson j;
  j["instrument"] = v.instrument_id;
  j["metric"] = v.metric;
  j["response_scale"] = {{"min", v.scale_min}, {"max", v.scale_max}};
  j["people"] = cjson::array();
  for (const auto& p : v.people) {
    j["people"].push_back({{"name", p.name},
                           {"anxiety", dimension_json(p.anxiety, p.anxiety_se)},
                           {"avoidance", dimension_json(p.avoidance, p.avoidance_se)},
                           {"plane", {{"anxiety", couple_num(p.plane_anxiety)}, {"avoidance", couple_num(p.plane_avoidance)}}}});
  }
  j["differences"] = cjson::array();
  for (const std::string& id : {v.anxiety_scale, v.avoidance_scale}) {
    const ScaleChange* d = dimension(v, id);
    if (!d) continue;
    j["differences"].push_back({{"id", d->id}, {"label", d->label}, {"a", couple_num(d->before)}, {"b", couple_num(d->after)},
                                {"difference", couple_num(d->change.difference)}, {"rci", couple_num(d->change.rci)},
                                {"mdc95", couple_num(d->change.mdc95)}, {"reliable", d->change.known ? cjson(d->change.reliable) : cjson(nullptr)},
                                {"basis", d->basis}, {"text", difference_sentence(v, *d, g)}});
  }
  j["practices"] = cjson::array();
  for (const auto& p : v.practices) j["practices"].push_back({{"id", p.id}, {"title", p.title}, {"why", p.why}});
  j["care"] = v.care ? cjson({{"text", g.ui("ui.couple.care")}, {"crisis", care_crisis(g)}}) : cjson(nullptr);
  j["not_a_score"] = g.ui("ui.couple.not_a_score");
  return j.dump(indent);
}

namespace {

std::string practice_body(const ContentEntry& e, const std::string& lead) {
  std::string o;
  if (const std::string* sum = e.text_field("summary")) o += lead + *sum + "\n";
  for (const auto& list : e.lists) {
    for (const auto& item : list.items) o += lead + "- " + (item.title.empty() ? "" : item.title + ": ") + item.text + "\n";
  }
  return o;
}

// The shared plan: each practice with its why and its body.
std::string shared_plan(const CoupleView& v, const Guidance& g, bool md) {
  const std::string plan = g.ui("ui.couple.plan_title");
  std::string o = "\n" + (md ? "## " + plan + "\n\n" : plan + "\n" + std::string(plan.size(), '-') + "\n\n");
  int n = 0;
  for (const auto& p : v.practices) {
    o += md ? "### " + std::to_string(++n) + ". " + p.title + "\n\n" : std::to_string(++n) + ". " + p.title + "\n";
    for (const auto& w : p.why) o += (md ? "" : "   ") + g.ui("ui.label.why") + ": " + w + "\n" + (md ? "\n" : "");
    if (const ContentEntry* e = g.find(p.id)) o += practice_body(*e, md ? "" : "   ");
    o += "\n";
  }
  return o;
}

std::string render_couple(const CoupleView& v, const Guidance& g, bool md) {
  const std::string title = g.ui("ui.couple.title");
  std::string o = md ? "# " + title + "\n\n" : title + "\n" + std::string(title.size(), '=') + "\n\n";
  o += g.ui("ui.couple.intro") + "\n\n" + (md ? "*" + g.ui("ui.couple.not_a_score") + "*" : g.ui("ui.couple.not_a_score")) + "\n\n";
  if (v.care) o += g.ui("ui.couple.care") + " " + care_crisis(g) + "\n\n";
  o += (v.metric == "theta" ? g.ui("ui.couple.plane_theta")
                            : couple_sub(couple_sub(g.ui("ui.couple.plane"), "min", std::to_string(v.scale_min)), "max", std::to_string(v.scale_max))) +
       "\n\n";
  for (const auto& p : v.people) {
    o += (md ? "- **" + p.name + "**: " : "  " + p.name + ": ") + "anxiety " + with_interval(p.anxiety, p.anxiety_se) + ", avoidance " +
         with_interval(p.avoidance, p.avoidance_se) + "\n";
  }
  o += "\n" + std::string(md ? "```\n" : "") + ascii_plane(v) + (md ? "```\n" : "") + "\n" +
       couple_sub(couple_sub(g.ui("ui.couple.legend"), "a", v.people[0].name), "b", v.people[1].name) + " " + g.ui("ui.couple.plane_note") + "\n\n";
  const std::string diff = g.ui("ui.couple.differences");
  o += md ? "## " + diff + "\n\n" : diff + "\n" + std::string(diff.size(), '-') + "\n\n";
  for (const std::string& id : {v.anxiety_scale, v.avoidance_scale}) {
    if (const ScaleChange* d = dimension(v, id)) o += (md ? "- " : "  ") + difference_sentence(v, *d, g) + "\n";
  }
  return o + shared_plan(v, g, md);
}

}  // namespace

std::string to_text(const CoupleView& v, const Guidance& g) { return render_couple(v, g, false); }
std::string to_markdown(const CoupleView& v, const Guidance& g) { return render_couple(v, g, true); }

}  // namespace attune
