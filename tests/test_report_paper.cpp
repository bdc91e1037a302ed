// The report as a paper's supplement (issue 23, section 5): the correlations between the scales
// against R psych, every table's CSV download parsed back to the table, figures with titles, ticked
// axes and legends, a reference for every citation, and the IRT section against a hand-written EAP.
#include <attune/attune.hpp>
#include <attune/report.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/helpers.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>
#include "../src/batch/tuning.hpp"

namespace {

std::string paper_report(const attune::ScoringPlan& plan, const std::string& csv, const attune::ReportOptions& ro, const char* map) {
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse(map);
  attune::batch::set_chunk_bytes(bo, 4096);
  std::FILE* in = std::fopen(csv.c_str(), "rb");
  REQUIRE(in);
  auto rep = attune::html_report(plan, in, csv, bo, ro, [](const attune::RowError&) {});
  std::fclose(in);
  return rep.html;
}

std::string paper_synthetic_report(const attune::ReportOptions& ro = {}) {
  return paper_report(attune::ScoringPlan::compile(attune::load_instrument("ecr-r")),
                      attune_test::source_path("examples/data/ecr-r-synthetic.csv"), ro, "Q{n}");
}

std::map<std::string, std::string> paper_cell_values(const std::string& html) {
  std::map<std::string, std::string> v;
  const std::regex cell(R"re(data-key="([^"]+)" data-value="([^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator(); ++it) v[(*it)[1]] = (*it)[2];
  return v;
}

std::string paper_percent_decode(const std::string& s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      o += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      o += s[i];
    }
  }
  return o;
}

// RFC 4180 records, CRLF or LF.
std::vector<std::vector<std::string>> paper_parse_csv(const std::string& s) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r') {
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// A table's cells as the page shows them: the exact data-value where there is one, else the text
// without tags and with the page's entities decoded.
std::vector<std::vector<std::string>> paper_table_cells(const std::string& table) {
  std::vector<std::vector<std::string>> rows;
  const std::regex tr(R"(<tr[^>]*>([\s\S]*?)</tr>)"), cell(R"(<(td|th)([^>]*)>([\s\S]*?)</(td|th)>)"), value(R"re(data-value="([^"]*)")re");
  const std::regex tag("<[^>]*>");
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&ge;", "\u2265"},
                                                          {"&le;", "\u2264"}, {"&sup2;", "\u00b2"}, {"&radic;", "\u221a"},
                                                          {"&alpha;", "\u03b1"}, {"&amp;", "&"}};
  for (auto r = std::sregex_iterator(table.begin(), table.end(), tr); r != std::sregex_iterator(); ++r) {
    const std::string row = (*r)[1];
    rows.emplace_back();
    for (auto c = std::sregex_iterator(row.begin(), row.end(), cell); c != std::sregex_iterator(); ++c) {
      const std::string attrs = (*c)[2];
      std::smatch m;
      if (std::regex_search(attrs, m, value)) {
        rows.back().push_back(m[1] == "NaN" ? "" : std::string(m[1]));
        continue;
      }
      std::string text = std::regex_replace(std::string((*c)[3]), tag, "");
      for (const auto& [e, t] : entities) {
        for (std::size_t p; (p = text.find(e)) != std::string::npos;) text.replace(p, std::string(e).size(), t);
      }
      rows.back().push_back(text);
    }
  }
  return rows;
}

// 300 rows of ECR answers on 1..5 (q1..q36), following the ECR key (anxiety: even items, avoidance:
// odd; reversed 3, 15, 19, 22, 25, 27, 29, 31, 33, 35) with noise from a fixed LCG; a few missing.
std::string paper_ecr_file() {
  const std::string path = "/tmp/attune-test-report-paper-ecr-" + std::to_string(::getpid()) + ".csv";
  std::ofstream o(path);
  o << "id";
  for (int q = 1; q <= 36; ++q) o << ",q" << q;
  o << "\n";
  std::uint64_t state = 12345;
  auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  const std::set<int> reversed = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35};
  for (int r = 0; r < 300; ++r) {
    const double anx = 4 * uniform() - 2, avo = 4 * uniform() - 2;
    o << "R" << r;
    for (int q = 1; q <= 36; ++q) {
      const double lat = q % 2 == 0 ? anx : avo;
      int keyed = static_cast<int>(std::lround(3 + lat + 2 * (uniform() - 0.5)));
      keyed = std::max(1, std::min(5, keyed));
      o << ',';
      if (uniform() < 0.02) continue;  // not answered
      o << (reversed.count(q) ? 6 - keyed : keyed);
    }
    o << "\n";
  }
  return path;
}

attune::ScoringPlan paper_ecr_plan() {
  attune::ScoringOptions so;
  attune::ResponseScale rs;
  rs.min = 1;
  rs.max = 5;
  so.data_scale = rs;
  return attune::ScoringPlan::compile(attune::load_instrument("ecr"), so);
}

}  // namespace

TEST_CASE("report: correlations between the scales, raw and disattenuated, equal R psych") {
  // tools/r/reference_report_correlations.R: cor(pairwise) of the scale means, psych::alpha, psych::correct.cor.
  std::ifstream f(attune_test::source_path("tests/reference/ecr_r_synthetic_scale_correlations.json"));
  REQUIRE(f);
  const auto ref = nlohmann::json::parse(f)["pairs"][0];
  const auto v = paper_cell_values(paper_synthetic_report());
  const std::string k = "cor.anxiety.avoidance.";
  REQUIRE(v.count(k + "r"));
  CHECK(std::stod(v.at(k + "n")) == ref["n"].get<double>());
  CHECK(std::stod(v.at(k + "r")) == Approx(ref["r"].get<double>()).margin(1e-12));
  CHECK(std::stod(v.at(k + "alpha_1")) == Approx(ref["alpha_1"].get<double>()).margin(1e-12));
  CHECK(std::stod(v.at(k + "alpha_2")) == Approx(ref["alpha_2"].get<double>()).margin(1e-12));
  CHECK(std::stod(v.at(k + "r_disattenuated")) == Approx(ref["r_disattenuated"].get<double>()).margin(1e-12));
}

TEST_CASE("report: every table downloads as CSV that parses back to the table") {
  const std::string html = paper_synthetic_report();
  const std::regex table(R"re(<table[^>]* id="([^"]+)"[\s\S]*?</table>\n<p class="csv"><a class="csv-download" download="([^"]+)" href="data:text/csv;charset=utf-8,([^"]*)")re");
  std::set<std::string> ids;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), table); it != std::sregex_iterator(); ++it) {
    const std::string id = (*it)[1];
    INFO(id);
    CHECK(std::string((*it)[2]) == id + ".csv");
    const auto csv = paper_parse_csv(paper_percent_decode((*it)[3]));
    const auto cells = paper_table_cells((*it)[0]);
    REQUIRE(csv.size() == cells.size());
    CHECK(csv == cells);
    ids.insert(id);
  }
  // Every table on the page has its link (and a link for none that is not a table's).
  std::size_t tables = 0, links = 0;
  for (std::size_t p = 0; (p = html.find("<table", p)) != std::string::npos; ++p) ++tables;
  for (std::size_t p = 0; (p = html.find("class=\"csv-download\"", p)) != std::string::npos; ++p) ++links;
  CHECK(tables == ids.size());
  CHECK(links == ids.size());
  for (const char* id : {"sample-table", "categories", "reliability-table", "scale-correlations", "items-anxiety", "items-avoidance",
                         "quality-table"})
    CHECK(ids.count(id));
  // Still no script and nothing fetched: the download is the page's own data.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);
}

TEST_CASE("report: every figure has a title, ticked and titled axes and a legend") {
  const std::string html = paper_synthetic_report();
  int figures = 0;
  for (std::size_t p = 0; (p = html.find("<svg", p)) != std::string::npos; ++p) {
    const std::string svg = html.substr(p, html.find("</svg>", p) - p);
    const std::string label = svg.substr(svg.find("aria-label=\""), 60);
    INFO(label);
    CHECK(svg.find("class=\"plot-title\"") != std::string::npos);
    std::size_t ticks = 0, titles = 0;
    for (std::size_t q = 0; (q = svg.find("class=\"tick\"", q)) != std::string::npos; ++q) ++ticks;
    for (std::size_t q = 0; (q = svg.find("class=\"axis-title\"", q)) != std::string::npos; ++q) ++titles;
    CHECK(ticks >= 6);   // both axes
    CHECK(titles == 2);
    CHECK(svg.find("class=\"legend\"") != std::string::npos);
    ++figures;
  }
  CHECK(figures >= 3);  // two scale histograms, the plane (and the confidence histogram for a method with one)
  // The plane's ticks are in standardized units around 0.
  const std::size_t plane = html.find("Rows in the anxiety x avoidance plane");
  REQUIRE(plane != std::string::npos);
  CHECK(html.find("rows per cell", plane) != std::string::npos);
}

TEST_CASE("report: every author-year citation on the page is in its reference list") {
  attune::ReportOptions ro;
  ro.irt_calibration = attune_test::source_path("instruments/calibrations/ecr-openpsychometrics-1to5.json");
  for (const bool irt : {false, true}) {
    INFO("irt " << irt);
    std::string html;
    if (irt) {
      html = paper_report(paper_ecr_plan(), paper_ecr_file(), ro, "{id}");
    } else {
      html = paper_synthetic_report();
    }
    const std::size_t refs = html.find("<h2 id=\"references\">");
    REQUIRE(refs != std::string::npos);
    const std::string body = html.substr(0, html.find("<h2 id=\"citation\">")), list = html.substr(refs);
    // "Name (1951)", "Name, 1951", "Name &amp; Other (2012)", "Name and Other (2004)", "Name et al. (2018)"
    const std::regex cite(R"(\b([A-Z][a-z][a-zA-Z]*)(?:(?:, [A-Z][a-zA-Z]+)*,? (?:&amp;|and) [A-Z][a-zA-Z]+| et al\.)?(?:'s)?,? \(?((?:18|19|20)\d\d)\b)");
    int cited = 0;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), cite); it != std::sregex_iterator(); ++it) {
      const std::string who = (*it)[1], year = (*it)[2];
      INFO(who << " " << year);
      CHECK(std::regex_search(list, std::regex("<li>" + who + ", [^<]*\\(" + year + "\\)")));
      ++cited;
    }
    CHECK(cited >= (irt ? 20 : 15));
    for (const char* must : {"Cronbach, L. J. (1951)", "Spearman, C. (1904)", "Revelle, W. (2022)", "Curran, P. G. (2016)"})
      CHECK(list.find(must) != std::string::npos);
    CHECK((list.find("Samejima, F. (1969)") != std::string::npos) == irt);
  }
}

namespace {

// Samejima's graded response model by hand: P(X >= k) = 1 / (1 + exp(-a (theta - b_k))).
double paper_category_p(const nlohmann::json& item, int x, double theta) {
  const auto& b = item["b"];
  const double a = item["a"].get<double>();
  auto star = [&](int k) {
    if (k <= 0) return 1.0;
    if (k > static_cast<int>(b.size())) return 0.0;
    return 1 / (1 + std::exp(-a * (theta - b[static_cast<std::size_t>(k - 1)].get<double>())));
  };
  return star(x) - star(x + 1);
}

// Item information a^2 sum_k (W_k - W_{k+1})^2 / P_k, W_k = P*_k (1 - P*_k), W_0 = W_K = 0 (Samejima 1969).
double paper_item_information(const nlohmann::json& item, double theta) {
  const auto& b = item["b"];
  const double a = item["a"].get<double>();
  const int K = static_cast<int>(b.size()) + 1;
  auto w = [&](int k) {
    if (k <= 0 || k >= K) return 0.0;
    const double p = 1 / (1 + std::exp(-a * (theta - b[static_cast<std::size_t>(k - 1)].get<double>())));
    return p * (1 - p);
  };
  double info = 0;
  for (int k = 0; k < K; ++k) info += std::pow(w(k) - w(k + 1), 2) / paper_category_p(item, k, theta);
  return a * a * info;
}

}  // namespace

TEST_CASE("report: the IRT section's thetas and information equal a hand-written graded response model") {
  const std::string cal_path = attune_test::source_path("instruments/calibrations/ecr-openpsychometrics-1to5.json");
  std::ifstream f(cal_path);
  REQUIRE(f);
  const auto cal = nlohmann::json::parse(f);
  attune::ReportOptions ro;
  ro.irt_calibration = cal_path;
  const std::string data = paper_ecr_file();
  const std::string html = paper_report(paper_ecr_plan(), data, ro, "{id}");
  REQUIRE(html.find("<h2 id=\"irt\">") != std::string::npos);
  const auto v = paper_cell_values(html);

  // The rows, read back from the file written above.
  std::ifstream in(data);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::vector<double> x;
    std::size_t p = line.find(',');
    while (p != std::string::npos) {
      const std::size_t e = line.find(',', p + 1);
      const std::string cell = line.substr(p + 1, e == std::string::npos ? std::string::npos : e - p - 1);
      x.push_back(cell.empty() ? std::nan("") : std::stod(cell));
      p = e;
    }
    rows.push_back(x);
  }
  REQUIRE(rows.size() == 300);
  // EAP over 61 points on [-6, 6] with N(0, 1) weights (docs/irt.md), for each row and scale.
  for (const auto& [scale, sc] : cal["scales"].items()) {
    INFO(scale);
    double n = 0, sum = 0;
    for (const auto& x : rows) {
      double num = 0, den = 0;
      int answered = 0;
      for (int q = 0; q < 61; ++q) {
        const double t = -6 + 0.2 * q;
        double like = std::exp(-t * t / 2);
        for (const auto& item : sc["items"]) {
          const int pos = std::stoi(item["id"].get<std::string>().substr(1)) - 1;
          const double a = x[static_cast<std::size_t>(pos)];
          if (std::isnan(a)) continue;
          if (q == 0) ++answered;
          const int keyed = item["reversed"].get<bool>() ? 6 - static_cast<int>(a) : static_cast<int>(a);
          like *= paper_category_p(item, keyed - 1, t);
        }
        num += t * like;
        den += like;
      }
      if (answered == 0) continue;
      n += 1;
      sum += num / den;
    }
    CHECK(std::stod(v.at("irt." + scale + ".n")) == n);
    CHECK(std::stod(v.at("irt." + scale + ".theta_mean")) == Approx(sum / n).margin(1e-9));
    CHECK(std::stod(v.at("irt." + scale + ".marginal_reliability")) == sc["marginal_reliability"].get<double>());
    for (int k = 0; k <= 16; ++k) {
      const double t = -4 + 0.5 * k;
      double info = 0;
      for (const auto& item : sc["items"]) info += paper_item_information(item, t);
      INFO("theta " << t);
      CHECK(std::stod(v.at("irt." + scale + ".information." + std::to_string(k))) == Approx(info).epsilon(1e-12));
      CHECK(std::stod(v.at("irt." + scale + ".se." + std::to_string(k))) == Approx(1 / std::sqrt(info)).epsilon(1e-12));
    }
  }
  // Theta histograms, the information and SE curves: titled figures with legends.
  for (const char* id : {"theta-anxiety", "theta-avoidance", "test-information", "test-se"}) CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
  // Without --irt there is no IRT section.
  CHECK(paper_synthetic_report().find("<h2 id=\"irt\">") == std::string::npos);
  // A calibration of another instrument is refused, naming it.
  ro.irt_calibration = cal_path;
  const auto e = attune_test::error_of([&] { paper_synthetic_report(ro); });
  CHECK(e.kind() == attune::ErrorKind::usage);
  CHECK(std::string(e.what()).find("'ecr'") != std::string::npos);
}
