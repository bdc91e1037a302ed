// What a person reads in a plan (issue 22, "a plan that fits the person's situation"): headings in
// order, nothing meant for the maintainers, no claim about how many steps follow, and a general crisis
// line in the "consider more help" block. Plans come from real scoring of ECR-R answers chosen to land
// in each quadrant and in the care range, rendered in every format.
#include "support/helpers.hpp"

#include <attune/attune.hpp>
#include <attune/guidance.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using namespace attune;

namespace {

const Guidance& person_pack() {
  static Guidance g = Guidance::from_directory(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en");
  return g;
}

const ScoringPlan& person_ecr_r() {
  static ScoringPlan p = ScoringPlan::compile(load_instrument("ecr-r"));
  return p;
}

// Keyed answers `anx` on every anxiety item and `avo` on every avoidance item (1..7), written as
// raw answers: a reverse-keyed item gets 8 - keyed.
Result person_scored(int anx, int avo) {
  return score(person_ecr_r(), responses_from_json(person_ecr_r(), attune_test::keyed_answers_json(person_ecr_r(), anx, avo), "test"));
}

// (anxiety, avoidance) keyed answers: one profile per quadrant, one between patterns, two in the
// care range (a mean of 7 is far above the "halfway to the top" point of 5.5 without norms).
const std::vector<std::pair<int, int>> kPersonProfiles = {{2, 2}, {6, 2}, {2, 6}, {6, 6}, {4, 4}, {7, 2}, {7, 7}};

std::vector<int> markdown_heading_levels(const std::string& md) {
  std::vector<int> levels;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);) {
    std::size_t n = 0;
    while (n < line.size() && line[n] == '#') ++n;
    if (n > 0 && n < line.size() && line[n] == ' ') levels.push_back(static_cast<int>(n));
  }
  return levels;
}

std::string person_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

TEST_CASE("plan for the person: Markdown headings start at one level and never skip a level") {
  for (auto [anx, avo] : kPersonProfiles) {
    INFO("keyed answers " << anx << ", " << avo);
    const Plan p = recommend(person_ecr_r(), person_scored(anx, avo), Context{}, person_pack());
    const std::vector<int> levels = markdown_heading_levels(to_markdown(p, person_pack()));
    REQUIRE_FALSE(levels.empty());
    CHECK(levels.front() == 1);
    for (std::size_t i = 1; i < levels.size(); ++i) {
      INFO("heading " << i << ": level " << levels[i] << " after " << levels[i - 1]);
      CHECK(levels[i] <= levels[i - 1] + 1);
    }
  }
}

TEST_CASE("plan for the person: no maintainers' notes and no count of steps that may not match") {
  // Words that only a maintainer's note would use, and the count the roadmap's intro once claimed
  // above a plan of four or five steps.
  const std::vector<std::string> never = {"seed", "maintainer", "todo", "descriptive title", "there are eight steps"};
  for (auto [anx, avo] : kPersonProfiles) {
    const Plan p = recommend(person_ecr_r(), person_scored(anx, avo), Context{}, person_pack());
    for (const std::string& out : {to_text(p, person_pack()), to_markdown(p, person_pack()), to_json(p, person_pack())}) {
      const std::string l = person_lower(out);
      for (const auto& w : never) {
        INFO("keyed answers " << anx << ", " << avo << "; '" << w << "'");
        CHECK(l.find(w) == std::string::npos);
      }
    }
  }
}

TEST_CASE("plan for the person: the care block names emergency services or a crisis line, with no phone number") {
  const Plan care = recommend(person_ecr_r(), person_scored(7, 7), Context{}, person_pack());
  REQUIRE(care.more_help);
  const auto& items = care.more_help->items;
  const auto at = std::find(items.begin(), items.end(), "care.crisis");
  REQUIRE(at != items.end());
  CHECK(at - items.begin() == 1);  // right under the block's heading, before anything longer
  const std::string text = to_text(care, person_pack());
  const std::size_t crisis = text.find("local emergency services or a crisis line");
  REQUIRE(crisis != std::string::npos);
  // A number fits one country only: the line stays general.
  const std::string line = text.substr(crisis - 200, 400);
  CHECK(std::none_of(line.begin(), line.end(), [](unsigned char c) { return std::isdigit(c); }));
  // Outside the care range the line is not shown: it belongs with the nudge toward support.
  const Plan calm = recommend(person_ecr_r(), person_scored(2, 2), Context{}, person_pack());
  CHECK_FALSE(calm.more_help);
  CHECK(to_text(calm, person_pack()).find("crisis line") == std::string::npos);
}

TEST_CASE("plan for the person: no practice for two without a partner, and partnered stages keep them") {
  const Guidance& g = person_pack();
  auto for_two = [&g](const std::string& id) { return g.find(id)->needs_partner; };
  // Each of these is marked as a practice for two in the pack; a pack that lost the marks would make
  // the checks below pass vacuously.
  for (const char* id : {"roadmap.step4", "roadmap.step8", "selfhelp.routines", "scripts.nightly_appreciation"}) CHECK(for_two(id));
  for (const char* stage : {"single", "separating"}) {
    for (auto [anx, avo] : kPersonProfiles) {
      INFO(stage << "; keyed answers " << anx << ", " << avo);
      Context ctx;
      ctx.stage = stage;
      const Plan p = recommend(person_ecr_r(), person_scored(anx, avo), ctx, g);
      CHECK(p.focus.size() >= 2);  // the next steps in rank take the dropped ones' places
      for (const auto& f : p.focus) CHECK_FALSE(for_two(f.id));
      for (const auto& s : p.scripts) CHECK_FALSE(for_two(s.id));
      for (const auto& day : p.schedule) {
        if (day.week == "plan30.week4") CHECK(day.practice == g.find("plan30.week4")->daily_practice_alone);
      }
      const std::string text = to_text(p, g);
      CHECK(text.find("Tell your partner") == std::string::npos);
      CHECK(text.find("with each other") == std::string::npos);
    }
  }
  // With a partner the same profile (keyed 4, 4: between patterns, where "Grow together" ranks in the
  // top three) keeps the practices for two and the week's own wording.
  Context together;
  together.stage = "long_term";
  const Plan p = recommend(person_ecr_r(), person_scored(4, 4), together, g);
  CHECK(std::any_of(p.focus.begin(), p.focus.end(), [&](const FocusStep& f) { return for_two(f.id); }));
  CHECK(*g.find("plan30.week4")->text_field("daily_practice") == p.schedule.back().practice);
}

TEST_CASE("plan for the person: a context that contradicts itself is refused, not guessed") {
  Context c;
  c.stage = "parenting";
  c.parent = false;
  CHECK_THROWS_AS(recommend(person_ecr_r(), person_scored(2, 2), c, person_pack()), UsageError);
  c.parent = true;
  CHECK_NOTHROW(recommend(person_ecr_r(), person_scored(2, 2), c, person_pack()));
}

namespace {

// The unfolded value of each "NAME:" line of an iCalendar text (RFC 5545 folds at 75 octets with
// CRLF + space).
std::vector<std::string> ics_values(const std::string& ics, const std::string& name) {
  std::string unfolded;
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics.compare(i, 3, "\r\n ") == 0) { i += 2; continue; }
    unfolded += ics[i];
  }
  std::vector<std::string> out;
  std::istringstream in(unfolded);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.compare(0, name.size() + 1, name + ":") == 0) out.push_back(line.substr(name.size() + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("plan for the person: the calendar has a practice for each day, a weekly ritual once a week, and a retake reminder") {
  Context c;
  c.start = Date::parse("2026-03-02");
  const Plan p = recommend(person_ecr_r(), person_scored(6, 2), c, person_pack());
  const std::string ics = to_ics(p, person_pack(), "20260302T080000Z");
  const auto summaries = ics_values(ics, "SUMMARY");
  REQUIRE(summaries.size() == 31);  // 30 days and the retake reminder
  for (std::size_t i = 1; i < 30; ++i) {
    INFO("day " << i + 1);
    CHECK(summaries[i] != summaries[i - 1]);
  }
  // Each day's own practice leads its description, so no two days in a row read alike.
  const auto descriptions = ics_values(ics, "DESCRIPTION");
  for (std::size_t i = 1; i < 30; ++i) CHECK(descriptions[i].substr(0, 40) != descriptions[i - 1].substr(0, 40));
  // The 15-minute weekly share of week 4: on day 22 and a week later, not daily.
  int shares = 0;
  for (std::size_t i = 21; i < 30; ++i) shares += summaries[i].find("weekly share") != std::string::npos ? 1 : 0;
  CHECK(shares == 2);
  CHECK(summaries[21].find("weekly share") != std::string::npos);
  CHECK(summaries[28].find("weekly share") != std::string::npos);
  // Day 31 (2026-04-01, counted by hand from 2026-03-02): take the questionnaire again.
  const auto starts = ics_values(ics, "DTSTART;VALUE=DATE");
  REQUIRE(starts.size() == 31);
  CHECK(starts.front() == "20260302");
  CHECK(starts.back() == "20260401");
  CHECK(summaries.back().find("questionnaire again") != std::string::npos);
  CHECK(descriptions.back().find("not a diagnosis") != std::string::npos);
  // No alarm unless asked for; asked for at 08:30, one per event, 8 h 30 min after the day begins.
  CHECK(ics_values(ics, "TRIGGER").empty());
  const auto triggers = ics_values(to_ics(p, person_pack(), "20260302T080000Z", 8 * 60 + 30), "TRIGGER");
  CHECK(triggers.size() == 31);
  CHECK(std::all_of(triggers.begin(), triggers.end(), [](const std::string& t) { return t == "PT8H30M"; }));
  CHECK_THROWS_AS(to_ics(p, person_pack(), "20260302T080000Z", 24 * 60), UsageError);
}

TEST_CASE("plan for the person: a practice for two is worded for the couple's stage, in every format") {
  const Guidance& g = person_pack();
  const std::vector<std::string> partnered = {"dating", "long_term", "parenting"};
  // Every practice for two in the pack has a wording for each stage with a partner.
  std::vector<const ContentEntry*> for_two;
  for (const auto& e : g.entries()) {
    if (!e.needs_partner) continue;
    for_two.push_back(&e);
    for (const auto& st : partnered) CHECK(e.for_stage.count(st) == 1);
  }
  REQUIRE(for_two.size() >= 4);
  for (const auto& stage : partnered) {
    for (auto [anx, avo] : kPersonProfiles) {
      INFO(stage << "; keyed answers " << anx << ", " << avo);
      Context ctx;
      ctx.stage = stage;
      const Plan p = recommend(person_ecr_r(), person_scored(anx, avo), ctx, g);
      const std::string text = to_text(p, g), md = to_markdown(p, g), js = to_json(p, g);
      for (const ContentEntry* e : for_two) {
        const bool shown = std::any_of(p.focus.begin(), p.focus.end(), [&](const FocusStep& f) { return f.id == e->id; }) ||
                           std::any_of(p.scripts.begin(), p.scripts.end(), [&](const PlanScript& s) { return s.id == e->id; });
        for (const auto& other : partnered) {
          const std::string& wording = e->for_stage.at(other);
          const bool want = shown && other == stage;
          INFO(e->id << " worded for " << other);
          CHECK((text.find(wording) != std::string::npos) == want);
          CHECK((md.find(wording) != std::string::npos) == want);
          const std::string quoted = nlohmann::json(wording).dump();  // as the JSON writes it, quotes escaped
          CHECK((js.find(quoted.substr(1, quoted.size() - 2)) != std::string::npos) == want);
        }
      }
    }
  }
  // Without a stage the practices stay, worded for anyone, with no stage line.
  const Plan p = recommend(person_ecr_r(), person_scored(4, 4), Context{}, g);
  CHECK(to_text(p, g).find(g.ui("ui.label.for_stage")) == std::string::npos);
}

TEST_CASE("plan for the person: a stage wording on a practice for one, or for a stage with no partner, is refused") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "attune-for-stage-pack";
  auto pack_with = [&](const std::string& from, const std::string& to) {
    fs::remove_all(dir);
    fs::create_directories(dir / "en");
    for (const auto& f : fs::directory_iterator(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en")) fs::copy(f.path(), dir / "en" / f.path().filename());
    std::ifstream in(dir / "en" / "roadmap.json");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
    std::ofstream(dir / "en" / "roadmap.json") << s;
    return (dir / "en").string();
  };
  // step 1 is a practice for one: a stage wording there is a mistake in the pack.
  const std::string step1 = "\"id\": \"roadmap.step1\",";
  const std::string path1 = pack_with(step1, step1 + " \"for_stage\": {\"dating\": \"x\"},");
  try {
    Guidance::from_directory(path1);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("not a practice for two") != std::string::npos);
    CHECK(std::string(e.what()).find("roadmap.json") != std::string::npos);
  }
  const std::string path2 = pack_with("\"for_stage\": {\"dating\"", "\"for_stage\": {\"single\"");
  try {
    Guidance::from_directory(path2);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("stage 'single'") != std::string::npos);
  }
  fs::remove_all(dir);
}
