// Retakes of a questionnaire with a shipped norm set (issue 22): the set's per-cell alpha, read
// strictly, and compare_results() using each result's norm cell (SD and alpha, saved in its "norms"
// member) for the SEM, with values worked by hand in the comments.
#include "support/helpers.hpp"

#include <attune/error.hpp>
#include <attune/norms.hpp>
#include <attune/retake.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

using namespace attune;
using Catch::Matchers::Contains;

namespace {

// One ECR result on 1..5 as `attune score --json` writes it, reduced to what a comparison reads, with
// a "norms" member naming `cell` and, for anxiety only, the cell's SD and alpha.
std::string normed_result(double anxiety, const std::string& cell, int n, double sd, double alpha) {
  nlohmann::json j = {
      {"instrument", {{"id", "ecr"}}},
      {"response_scale", {{"min", 1}, {"max", 5}}},
      {"scales", {{{"id", "anxiety"}, {"raw", anxiety}}, {{"id", "avoidance"}, {"raw", 3.0}}}},
      {"profile", {{"method", "quadrant"}, {"dimensions", nlohmann::json::object()}}},
      {"norms",
       {{"set", "ecr-openpsychometrics-1to5"},
        {"name", "the open ECR norm sample"},
        {"cell", {{"id", cell}, {"label", cell}, {"n", n}}},
        {"scales",
         {{"anxiety", {{"mean_score", anxiety}, {"norm_sd", sd}, {"norm_alpha", alpha}}},
          {"avoidance", {{"mean_score", 3.0}}}}}}}};
  return j.dump();
}

const ScaleChange& normed_scale(const Comparison& c, const std::string& id) {
  for (const auto& s : c.scales) if (s.id == id) return s;
  throw std::runtime_error("no scale " + id);
}

// The four numbers of one scale's comparison, each against its hand value to 1e-12.
void check_numbers(const ScaleChange& s, double se_before, double se_after, double rci, double mdc95) {
  CHECK(s.se_before == Approx(se_before).epsilon(1e-12));
  CHECK(s.se_after == Approx(se_after).epsilon(1e-12));
  CHECK(s.change.rci == Approx(rci).epsilon(1e-12));
  CHECK(s.change.mdc95 == Approx(mdc95).epsilon(1e-12));
}

}  // namespace

TEST_CASE("compare: each result's norm cell gives its SEM from the cell's SD and alpha", "[change]") {
  // Before: SD 0.8, alpha 0.91 -> SEM = 0.8 x sqrt(0.09) = 0.24; after (another cell): SD 0.5,
  // alpha 0.64 -> SEM = 0.5 x sqrt(0.36) = 0.3. S_diff = sqrt(0.0576 + 0.09) = sqrt(0.1476)
  // = 0.3841874542459709; 4.2 -> 3.4: RCI = -0.8 / 0.38418745 = -2.0823168251814144 (reliable),
  // MDC95 = 1.96 x 0.38418745 = 0.7530074103221029.
  const SavedResult before = read_saved_result(normed_result(4.2, "whole sample", 46610, 0.8, 0.91), "before.json");
  const SavedResult after = read_saved_result(normed_result(3.4, "female, 25-34", 7208, 0.5, 0.64), "after.json");
  const Comparison c = compare_results(before, after);
  const ScaleChange& anx = normed_scale(c, "anxiety");
  check_numbers(anx, 0.24, 0.3, -2.0823168251814144, 0.7530074103221029);
  CHECK(anx.verdict_id == "ui.change.verdict.reliable_down");
  CHECK_THAT(anx.basis, Contains("the SD and alpha of before: the open ECR norm sample (set ecr-openpsychometrics-1to5), whole sample, N = 46610"));
  CHECK_THAT(anx.basis, Contains("after: the open ECR norm sample (set ecr-openpsychometrics-1to5), female, 25-34, N = 7208"));
  // The avoidance cells carry no SD and alpha, and the ECR publishes no norm SD: unknown, not guessed;
  // its two scores are equal (3.0), which needs no error model to say.
  const ScaleChange& avo = normed_scale(c, "avoidance");
  CHECK_FALSE(avo.change.known);
  CHECK(avo.verdict_id == "ui.change.verdict.same");
}

TEST_CASE("compare: a saved norm SD or alpha that cannot be one is refused with its JSON path", "[change]") {
  const Error e = attune_test::error_of([] { read_saved_result(normed_result(4, "whole sample", 10, 0.8, 1.0), "r.json"); });
  CHECK(e.kind() == ErrorKind::data);
  CHECK(e.where().json_path == "/norms/scales/anxiety/norm_alpha");
  const Error sd = attune_test::error_of([] { read_saved_result(normed_result(4, "whole sample", 10, 0.0, 0.9), "r.json"); });
  CHECK(sd.where().json_path == "/norms/scales/anxiety/norm_sd");
}

TEST_CASE("norms: the shipped ECR set carries every cell's alpha, with how it was made and checked", "[norms]") {
  const norms::NormSet set = norms::load_norm_set("ecr-openpsychometrics-1to5");
  CHECK(set.name == "the open ECR norm sample");
  CHECK_THAT(set.reliability, Contains("psych::scoreItems' raw_alpha"));
  for (const norms::Cell& cell : set.cells) {
    for (const char* scale : {"anxiety", "avoidance"}) {
      REQUIRE(cell.find(scale));
      const double a = cell.find(scale)->alpha;
      CHECK(a > 0.85);  // published: .91 and .94 on 1..7 (Brennan, Clark & Shaver 1998)
      CHECK(a < 0.97);
    }
  }
  // The whole sample's alpha is over its complete rows; psych's (made at test time from the shared
  // data by tools/r/make_row_references.sh; pairwise over all 51,491 rows) differs only by the 4,881
  // rows with a missing answer.
  const std::string psych_path = attune_test::row_reference("ecr_openpsychometrics_summary.json");
  if (psych_path.empty()) {
    WARN("psych's summary of the real data not made (tools/r/make_row_references.sh): that comparison skipped");
  } else {
    std::ifstream in(psych_path);
    const nlohmann::json psych = nlohmann::json::parse(in);
    for (const char* scale : {"anxiety", "avoidance"}) {
      CHECK(set.cells[0].find(scale)->alpha == Approx(psych["scales"][scale]["raw_alpha"].get<double>()).margin(0.002));
    }
  }
  // An alpha of 1 would make every difference reliable (SEM 0): refused with its path.
  std::string text;
  {
    std::ifstream f(attune_test::source_path("instruments/norms/ecr-openpsychometrics-1to5.json"));
    text.assign(std::istreambuf_iterator<char>(f), {});
  }
  const std::size_t at = text.find("\"alpha\": ");
  REQUIRE(at != std::string::npos);
  text.replace(at, text.find(',', at) - at, "\"alpha\": 1");
  const Error e = attune_test::error_of([&] { norms::NormSet::from_json_text(text, "n.json"); });
  CHECK(e.kind() == ErrorKind::instrument);
  CHECK(e.where().json_path == "/cells/0/scales/avoidance/alpha");
}

namespace {

// An ECR result as an older `attune score --json` or `take` saved it: the "norms" member names the set
// and the cell (when `set` is given) but carries no norm_sd or norm_alpha. Answers on min..max.
SavedResult bare_result(double anxiety, const std::string& set, const std::string& cell_id, int min = 1, int max = 5) {
  nlohmann::json j = {{"instrument", {{"id", "ecr"}}},
                      {"response_scale", {{"min", min}, {"max", max}}},
                      {"scales", {{{"id", "anxiety"}, {"raw", anxiety}}}},
                      {"profile", {{"method", "quadrant"}, {"dimensions", nlohmann::json::object()}}}};
  if (!set.empty()) {
    j["norms"] = {{"set", set},
                  {"name", "the open ECR norm sample"},
                  {"cell", {{"id", cell_id}, {"label", cell_id}, {"n", 10}}},
                  {"scales", {{"anxiety", {{"mean_score", anxiety}}}}}};
  }
  return read_saved_result(j.dump(), "result.json");
}

ChangeNorms shipped_ecr_norms(const std::string& fallback = "", bool convert = false) {
  ChangeNorms n;
  n.sets.push_back(std::make_shared<const norms::NormSet>(norms::load_norm_set("ecr-openpsychometrics-1to5")));
  n.fallback = fallback;
  n.convert_linear = convert;
  return n;
}

// The anxiety line of compare_results() over two saved results (a copy: the Comparison is gone after).
ScaleChange anxiety_of(const SavedResult& before, const SavedResult& after, const CompareOptions& o = {}) {
  return normed_scale(compare_results(before, after, o), "anxiety");
}

// The same, with the shipped ECR set at hand (as `attune compare` loads the set a result names).
ScaleChange anxiety_with_set(const SavedResult& before, const SavedResult& after) {
  CompareOptions o;
  o.norms = shipped_ecr_norms();
  return anxiety_of(before, after, o);
}

}  // namespace

TEST_CASE("compare: a result saved without the norm SD and alpha takes them from the cell its set names", "[change]") {
  // The shipped set ecr-openpsychometrics-1to5 (tools/norms/ecr_norms.py, NumPy), anxiety:
  //   female-25-34: SD 0.7856172943148421, alpha 0.9143917124099471 -> SEM = 0.78562 x sqrt(0.0856083) = 0.229862931093528
  //   all:          SD 0.8033620197792566, alpha 0.9160061675346849 -> SEM = 0.80336 x sqrt(0.0839938) = 0.232827885908649
  //   S_diff = sqrt(0.229863^2 + 0.232828^2) = 0.327178531611717; 4.2 -> 3.4: RCI = -0.8 / 0.327179 = -2.44514820718558
  //   (reliable), MDC95 = 1.96 x 0.327179 = 0.641269921958965.
  const SavedResult before = bare_result(4.2, "ecr-openpsychometrics-1to5", "female-25-34");
  const SavedResult after = bare_result(3.4, "ecr-openpsychometrics-1to5", "all");
  const ScaleChange anx = anxiety_with_set(before, after);
  check_numbers(anx, 0.22986293109352823, 0.23282788590864914, -2.4451482071855817, 0.6412699219589646);
  CHECK(anx.verdict_id == "ui.change.verdict.reliable_down");
  CHECK_THAT(anx.basis, Contains("before: the open ECR norm sample (set ecr-openpsychometrics-1to5), female, 25-34, N = 7208"));
  CHECK_THAT(anx.basis, Contains("looked up in the set, since the saved result does not carry them"));
  // Without the set at hand (the caller loaded none), the same results stay unknown, and say why.
  const ScaleChange none = anxiety_of(before, after);
  CHECK_FALSE(none.change.known);
  CHECK_THAT(none.basis, Contains("names the norm set 'ecr-openpsychometrics-1to5', which attune does not have here"));
}

TEST_CASE("compare: a saved result naming an unknown norm set or group stays unknown and says why", "[change]") {
  const SavedResult fine = bare_result(3.4, "ecr-openpsychometrics-1to5", "all");
  const ScaleChange c = anxiety_with_set(bare_result(4.2, "ecr-openpsychometrics-1to5", "female-12-17"), fine);
  CHECK_FALSE(c.change.known);
  CHECK(c.verdict_id == "ui.change.verdict.unknown");
  CHECK_THAT(c.basis, Contains("names the group 'female-12-17' of the norm set 'ecr-openpsychometrics-1to5', which that set does not have"));
  const ScaleChange s = anxiety_with_set(bare_result(4.2, "someone-elses-set", "all"), fine);
  CHECK_FALSE(s.change.known);
  CHECK_THAT(s.basis, Contains("names the norm set 'someone-elses-set', which attune does not have here"));
}

TEST_CASE("compare: the ECR on its own 1..7 is judged from the 1..5 norm set only when the conversion is asked for", "[change]") {
  // Linear 1..5 -> 1..7 (docs/irt.md) multiplies every item, so the mean score, by 6/4: alpha is
  // unchanged, the SD becomes 0.8033620197792566 x 1.5 = 1.20504302966889. SEM = 1.20504 x
  // sqrt(1 - 0.9160061675346849) = 0.349241828862974, S_diff = sqrt(2) x SEM = 0.493902530926001;
  // 5.0 -> 3.8: RCI = -1.2 / 0.493903 = -2.42962917754271 (reliable), MDC95 = 0.968048960614962.
  const SavedResult before = bare_result(5.0, "", "", 1, 7);
  const SavedResult after = bare_result(3.8, "", "", 1, 7);
  CompareOptions o;
  o.norms = shipped_ecr_norms("ecr-openpsychometrics-1to5", true);
  const ScaleChange anx = anxiety_of(before, after, o);
  check_numbers(anx, 0.3492418288629737, 0.3492418288629737, -2.429629177542705, 0.9680489606149617);
  CHECK_THAT(anx.basis, Contains("SD 0.803362 on 1..5, times 6/4 for 1..7: 1.20504, alpha 0.916006"));
  CHECK_THAT(anx.basis, Contains("estimated from answers given on a 1 to 5 scale, converted: an approximation"));
  // Not asked for: the set's SD is on 1..5, so it does not judge 1..7 scores (a usage error when the
  // set is named for them, as `score --norm-set` refuses it; unknown when a result names it).
  o.norms.convert_linear = false;
  const Error e = attune_test::error_of([&] { compare_results(before, after, o); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK_THAT(e.what(), Contains("was made on answers from 1..5, but these scores are on 1..7"));
  const ScaleChange u = anxiety_with_set(bare_result(5.0, "ecr-openpsychometrics-1to5", "all", 1, 7),
                                         bare_result(3.8, "ecr-openpsychometrics-1to5", "all", 1, 7));
  CHECK_FALSE(u.change.known);
  CHECK_THAT(u.basis, Contains("these scores are on 1..7, but the norm set 'ecr-openpsychometrics-1to5' was made on answers from 1..5"));
}

TEST_CASE("compare long: the norm set and the conversion give each scale the same SEM as two saved results", "[change]") {
  // The same two anxiety scores as above, as a long file on 1..7: the same conversion, the same
  // S_diff 0.493902530926001 and RCI -2.42962917754271 (to the 6 decimals the file writes).
  std::istringstream seven("id,t,anxiety\np,1,5.0\np,2,3.8\n");
  LongCompareOptions lo;
  lo.time_col = "t";
  lo.instrument = "ecr";
  lo.norms = shipped_ecr_norms("ecr-openpsychometrics-1to5", true);
  CHECK_THAT(compare_long(seven, "long.csv", lo), Contains("p,1,2,,5.000000,3.800000,-1.200000,-2.429629,0.968049,1"));
  // Scores on 1..5 with the set itself: SEM 0.232827885908649, S_diff 0.329268353950667; 4 -> 3:
  // RCI = -1 / 0.329268 = -3.03703647192838, MDC95 = 0.645365973743308.
  std::istringstream five("id,t,anxiety\np,1,4\np,2,3\n");
  lo.norms = shipped_ecr_norms("ecr-openpsychometrics-1to5", false);
  lo.scale_min = 1, lo.scale_max = 5;
  CHECK_THAT(compare_long(five, "long.csv", lo), Contains("p,1,2,,4.000000,3.000000,-1.000000,-3.037036,0.645366,1"));
  // The set named for 1..7 scores without the conversion is refused, as for two results.
  std::istringstream again("id,t,anxiety\np,1,5.0\np,2,3.8\n");
  lo.scale_min = lo.scale_max = 0;
  const Error e = attune_test::error_of([&] { compare_long(again, "long.csv", lo); });
  CHECK(e.kind() == ErrorKind::usage);
}
