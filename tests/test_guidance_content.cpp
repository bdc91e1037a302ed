// Shipped wording: the forbidden-word scan over everything a person can read (guidance packs, the
// instruments' labels, the example text pack), done here with its own code (std::regex over the raw
// files) so a bug in the loader's check cannot hide a word. Also: the .ics file parsed back, and text
// pack validation.
#include <attune/attune.hpp>
#include <attune/guidance.hpp>
#include <attune/text_pack.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace attune;

namespace {

const std::string kRoot = ATTUNE_TEST_SOURCE_DIR;

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

void strings_of(const nlohmann::json& v, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_string()) out.emplace_back(path, v.get<std::string>());
  else if (v.is_array()) for (std::size_t i = 0; i < v.size(); ++i) strings_of(v[i], path + "/" + std::to_string(i), out);
  else if (v.is_object()) for (auto it = v.begin(); it != v.end(); ++it) strings_of(*it, path + "/" + it.key(), out);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Everything a person reads, by file: all strings of the guidance packs (except the word list
// itself and sources.json's bibliographic notes), the instruments' names, item and scale labels and
// anchors, and the example text pack.
std::vector<std::tuple<std::string, std::string, std::string>> shipped_texts() {
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& lang : fs::directory_iterator(kRoot + "/guidance")) {
    for (const auto& f : fs::directory_iterator(lang.path())) {
      std::string name = f.path().filename().string();
      if (name == "forbidden-words.json" || f.path().extension() != ".json") continue;
      std::vector<std::pair<std::string, std::string>> s;
      strings_of(read_json(f.path()), "", s);
      for (auto& x : s) out.emplace_back(f.path().string(), x.first, x.second);
    }
  }
  for (const auto& f : fs::directory_iterator(kRoot + "/instruments")) {
    if (f.path().extension() != ".json") continue;
    nlohmann::json j = read_json(f.path());
    out.emplace_back(f.path().string(), "/name", j["name"].get<std::string>());
    for (std::size_t i = 0; i < j["items"].size(); ++i) out.emplace_back(f.path().string(), "/items/" + std::to_string(i) + "/label", j["items"][i]["label"].get<std::string>());
    for (std::size_t i = 0; i < j["scales"].size(); ++i) out.emplace_back(f.path().string(), "/scales/" + std::to_string(i) + "/label", j["scales"][i]["label"].get<std::string>());
    for (auto it = j["response_scale"]["anchors"].begin(); it != j["response_scale"]["anchors"].end(); ++it) {
      out.emplace_back(f.path().string(), "/response_scale/anchors/" + it.key(), it->get<std::string>());
    }
  }
  for (const auto& f : fs::directory_iterator(kRoot + "/examples/text-packs")) {
    std::vector<std::pair<std::string, std::string>> s;
    strings_of(read_json(f.path()), "", s);
    for (auto& x : s) out.emplace_back(f.path().string(), x.first, x.second);
  }
  out.emplace_back("attune::disclaimer()", "", disclaimer());
  return out;
}

}  // namespace

TEST_CASE("no shipped text uses a forbidden word") {
  nlohmann::json fw = read_json(kRoot + "/guidance/en/forbidden-words.json");
  std::vector<std::string> words = fw["words"].get<std::vector<std::string>>();
  std::vector<std::string> allowed = fw["allowed_phrases"].get<std::vector<std::string>>();
  REQUIRE(words.size() >= 20);
  auto texts = shipped_texts();
  REQUIRE(texts.size() > 500);  // the scan really covers the content
  std::size_t hits = 0;
  for (const auto& [file, path, text] : texts) {
    std::string t = lower(text);
    for (const auto& a : allowed) t = std::regex_replace(t, std::regex(lower(a)), " ");
    for (const auto& w : words) {
      if (std::regex_search(t, std::regex("\\b" + lower(w) + "\\b"))) {
        ++hits;
        FAIL_CHECK(file << " " << path << ": '" << w << "' in: " << text);
      }
    }
  }
  CHECK(hits == 0);
}

TEST_CASE("no shipped text names a person by a category") {
  const std::regex label("\\byou('| a)re (an? )?(securely |insecurely )?(secure|anxious|avoidant|fearful|dismissive|dismissing|preoccupied|disorganized|ambivalent)\\b"
                         "|\\b(secure|anxious|avoidant|fearful|dismissive|preoccupied|disorganized|ambivalent)s\\b"
                         "|\\b(an? )?(secure|anxious|avoidant|fearful|dismissive|preoccupied|disorganized|ambivalent) (person|people|partner|type)\\b");
  for (const auto& [file, path, text] : shipped_texts()) {
    if (file.find("sources.json") != std::string::npos) continue;  // article titles and headings, quoted as sources
    std::string t = lower(text);
    INFO(file << " " << path << ": " << text);
    CHECK_FALSE(std::regex_search(t, label));
  }
}

// ---------------------------------------------------------------------------------------------
// iCalendar: a small RFC 5545 reader, written for this test.

namespace {

struct Ics {
  std::vector<std::string> physical;                            // lines as stored, without CRLF
  std::vector<std::pair<std::string, std::string>> lines;       // unfolded: name(+params) -> value
  std::vector<std::map<std::string, std::string>> events;
};

Ics parse_ics(const std::string& s) {
  Ics out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t end = s.find("\r\n", pos);
    REQUIRE(end != std::string::npos);  // every line ends with CRLF
    std::string line = s.substr(pos, end - pos);
    REQUIRE(line.find('\n') == std::string::npos);  // no bare LF
    out.physical.push_back(line);
    pos = end + 2;
  }
  std::vector<std::string> logical;
  for (const auto& l : out.physical) {
    if (!l.empty() && (l[0] == ' ' || l[0] == '\t')) {
      REQUIRE_FALSE(logical.empty());
      logical.back() += l.substr(1);
    } else {
      logical.push_back(l);
    }
  }
  std::map<std::string, std::string>* ev = nullptr;
  for (const auto& l : logical) {
    std::size_t colon = l.find(':');
    REQUIRE(colon != std::string::npos);
    std::string name = l.substr(0, colon), value = l.substr(colon + 1);
    out.lines.emplace_back(name, value);
    if (name == "BEGIN" && value == "VEVENT") {
      out.events.emplace_back();
      ev = &out.events.back();
    } else if (name == "END" && value == "VEVENT") {
      ev = nullptr;
    } else if (ev) {
      (*ev)[name] = value;
    }
  }
  return out;
}

std::string unescape(const std::string& v) {
  std::string o;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      char n = v[++i];
      o += (n == 'n' || n == 'N') ? '\n' : n;
    } else {
      o += v[i];
    }
  }
  return o;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

TEST_CASE("the .ics export parses back: folding, CRLF, UIDs, all-day dates") {
  Guidance g = Guidance::from_directory(kRoot + "/guidance/en");
  ScoringPlan sp = ScoringPlan::compile(load_instrument("ecr-r"));
  // Keyed score 6 on every item (a reversed item answered 8 - 6 = 2): both scales 6.0, plane
  // coordinates (6 - 4) / 3 = 0.667, so the both_lean emphasis is added to every day.
  Responses r(sp);
  const Instrument& ins = sp.instrument();
  for (const auto& item : ins.items) {
    bool reversed = false;
    for (const auto& sc : ins.scales) reversed = reversed || sc.is_reversed(item.id);
    r.set(item.id, reversed ? 2 : 6);
  }
  Context c;
  c.start = Date::parse("2024-12-20");
  Plan p = recommend(sp, score(sp, r), c, g);
  std::string text = to_ics(p, g, "20250101T120000Z");
  Ics ics = parse_ics(text);

  for (const auto& l : ics.physical) {
    INFO(l);
    CHECK(l.size() <= 75);  // octets, CRLF excluded
    CHECK(valid_utf8(l));   // folding never splits a character
  }
  bool folded = false;
  for (const auto& l : ics.physical) folded = folded || (!l.empty() && l[0] == ' ');
  CHECK(folded);  // the descriptions are long enough to need folding
  REQUIRE(ics.lines.front() == std::make_pair(std::string("BEGIN"), std::string("VCALENDAR")));
  REQUIRE(ics.lines.back() == std::make_pair(std::string("END"), std::string("VCALENDAR")));
  CHECK(std::count(ics.lines.begin(), ics.lines.end(), std::make_pair(std::string("VERSION"), std::string("2.0"))) == 1);
  REQUIRE(ics.events.size() == 31);  // the 30 days, then the reminder to take the questionnaire again

  // Expected dates written out by hand: 2024-12-20 + 0..29 runs to 2025-01-18.
  const char* expect[] = {"20241220", "20241221", "20241222", "20241223", "20241224", "20241225", "20241226", "20241227",
                          "20241228", "20241229", "20241230", "20241231", "20250101", "20250102", "20250103", "20250104",
                          "20250105", "20250106", "20250107", "20250108", "20250109", "20250110", "20250111", "20250112",
                          "20250113", "20250114", "20250115", "20250116", "20250117", "20250118"};
  std::set<std::string> uids;
  for (std::size_t d = 0; d < 30; ++d) {
    auto& e = ics.events[d];
    INFO("day " << d + 1);
    CHECK(e["DTSTART;VALUE=DATE"] == expect[d]);
    CHECK(e["DTEND;VALUE=DATE"] == (d + 1 < 30 ? expect[d + 1] : "20250119"));
    CHECK(e["DTSTAMP"] == "20250101T120000Z");
    CHECK(e.count("UID") == 1);
    uids.insert(e["UID"]);
    std::string desc = unescape(e["DESCRIPTION"]);
    CHECK(desc.find(p.schedule[d].today) == 0);  // the day's own practice first
    CHECK(desc.find(p.schedule[d].practice) != std::string::npos);
    CHECK(desc.find("not a diagnosis") != std::string::npos);
    CHECK(unescape(e["SUMMARY"]).find("Day " + std::to_string(d + 1) + ":") == 0);
  }
  CHECK(ics.events[30]["DTSTART;VALUE=DATE"] == "20250119");  // day 31
  uids.insert(ics.events[30]["UID"]);
  CHECK(uids.size() == 31);
  REQUIRE(p.lean == "both_lean");
  CHECK(unescape(ics.events[0]["DESCRIPTION"]).find(*g.find("plan30.week1.both_lean")->text_field("text")) != std::string::npos);
  CHECK(unescape(ics.events[29]["DESCRIPTION"]).find(*g.find("plan30.week4.both_lean")->text_field("text")) != std::string::npos);
  // ... and an export of the same plan is identical (stable UIDs for re-import).
  CHECK(to_ics(p, g, "20250101T120000Z") == text);
  Context no_start;
  CHECK_THROWS_AS(to_ics(recommend(sp, score(sp, r), no_start, g), g), UsageError);
}

// ---------------------------------------------------------------------------------------------
// Text packs

namespace {

std::string example_pack() {
  std::ifstream in(kRoot + "/examples/text-packs/ecr-r.example.json");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string pack_error(const nlohmann::json& j, const Instrument& ins) {
  try {
    TextPack::from_json_text(j.dump(), "pack.json", ins);
  } catch (const TextPackError& e) {
    CHECK(e.kind() == ErrorKind::text_pack);
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("text pack: the fake example loads and gives wording and anchors") {
  Instrument ins = load_instrument("ecr-r");
  TextPack tp = TextPack::from_json_text(example_pack(), "ecr-r.example.json", ins);
  CHECK(tp.instrument_id() == "ecr-r");
  CHECK(tp.item("q1") == "Example statement 1");
  CHECK(tp.item("q36") == "Example statement 36");
  CHECK(tp.anchor(7) == "Example anchor 7");
  CHECK(tp.anchors().size() == 7);
  CHECK_THROWS_AS(tp.item("q99"), UsageError);
}

TEST_CASE("text pack validation: clear errors with the JSON path") {
  Instrument ins = load_instrument("ecr-r");
  nlohmann::json good = nlohmann::json::parse(example_pack());
  {
    auto j = good;
    j["items"].erase("q36");
    j["items"].erase("q2");
    std::string e = pack_error(j, ins);
    CHECK(e.find("pack.json") != std::string::npos);
    CHECK(e.find("at /items") != std::string::npos);
    CHECK(e.find("2 item(s) without wording: q2, q36") != std::string::npos);
  }
  {
    auto j = good;
    j["items"]["q99"] = "Example statement 99";
    std::string e = pack_error(j, ins);
    CHECK(e.find("/items/q99") != std::string::npos);
    CHECK(e.find("unknown item id") != std::string::npos);
  }
  {
    auto j = good;
    j["instrument"] = "ecr";
    std::string e = pack_error(j, ins);
    CHECK(e.find("/instrument") != std::string::npos);
    CHECK(e.find("not 'ecr-r'") != std::string::npos);
  }
  {
    auto j = good;
    j["anchors"].erase("4");
    CHECK(pack_error(j, ins).find("no anchor for response value 4") != std::string::npos);
  }
  {
    auto j = good;
    j["anchors"]["8"] = "Example anchor 8";
    CHECK(pack_error(j, ins).find("/anchors/8") != std::string::npos);
  }
  {
    auto j = good;
    j["items"]["q5"] = "";
    CHECK(pack_error(j, ins).find("/items/q5") != std::string::npos);
  }
  {
    auto j = good;
    j["format"] = "something-else";
    CHECK(pack_error(j, ins).find("/format") != std::string::npos);
  }
  CHECK(std::string(pack_error(nlohmann::json::parse("{}"), ins)).find("missing field") != std::string::npos);
  try {
    TextPack::from_json_text("{\"format\": ", "broken.json", ins);
    FAIL("no error");
  } catch (const TextPackError& e) {
    CHECK(std::string(e.what()).find("broken.json") != std::string::npos);
  }
}
