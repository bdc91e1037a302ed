// The graded response model engine against an independent NumPy/SciPy implementation
// (tools/irt/grm_reference.py, outputs in tests/reference/irt/), and its own invariants.
#include <attune/error.hpp>
#include <attune/instrument.hpp>
#include <attune/irt.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace attune;

namespace {

const std::string kRef = std::string(ATTUNE_TEST_SOURCE_DIR) + "/tests/reference/irt/";

nlohmann::json reference() {
  std::ifstream in(kRef + "grm_reference.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

// The simulated answers, rows x 6, NaN where the cell is empty.
std::vector<double> simulated(std::size_t& rows) {
  std::ifstream in(kRef + "grm_sim.csv");
  REQUIRE(in);
  std::string line;
  std::getline(in, line);
  std::vector<double> out;
  rows = 0;
  while (std::getline(in, line)) {
    std::stringstream cells(line + ",");
    std::string cell;
    for (int j = 0; j < 6; ++j) {
      std::getline(cells, cell, ',');
      out.push_back(cell.empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(cell));
    }
    ++rows;
  }
  return out;
}

std::vector<irt::ItemParameters> start_items(const nlohmann::json& ref) {
  std::vector<irt::ItemParameters> items;
  for (std::size_t j = 0; j < ref["items"].size(); ++j) {
    irt::ItemParameters it;
    it.id = ref["items"][j].get<std::string>();
    it.reversed = ref["reversed"][j].get<bool>();
    items.push_back(it);
  }
  return items;
}

ResponseScale one_to_five() {
  ResponseScale s;
  s.min = 1;
  s.max = 5;
  return s;
}

irt::ScaleCalibration fit_simulated(const nlohmann::json& ref, double tolerance) {
  std::size_t rows = 0;
  const std::vector<double> data = simulated(rows);
  REQUIRE(rows == ref["rows"].get<std::size_t>());
  irt::CalibrationOptions o;
  o.tolerance = tolerance;
  o.max_iterations = 5000;
  return irt::calibrate_scale(start_items(ref), one_to_five(), data.data(), rows, 6, o);
}

// A calibration holding the reference's true parameters as scale "s".
irt::Calibration true_calibration(const nlohmann::json& ref) {
  irt::Calibration c;
  c.response_scale = one_to_five();
  irt::ScaleCalibration s;
  s.id = "s";
  s.items = start_items(ref);
  for (std::size_t j = 0; j < s.items.size(); ++j) {
    s.items[j].a = ref["true"][j]["a"].get<double>();
    s.items[j].b = ref["true"][j]["b"].get<std::vector<double>>();
  }
  c.scales.push_back(s);
  return c;
}

double answer(const nlohmann::json& v) { return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>(); }

}  // namespace

TEST_CASE("irt: SHA-256 gives the FIPS 180-2 test vectors") {
  auto digest = [](const std::string& text) {
    irt::Sha256 h;
    h.update(text.data(), text.size());
    return h.hex();
  };
  CHECK(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  irt::Sha256 million;  // fed in uneven pieces, so the block boundary falls inside a piece
  const std::string piece(997, 'a');
  std::size_t left = 1000000;
  while (left > 0) {
    const std::size_t n = std::min(left, piece.size());
    million.update(piece.data(), n);
    left -= n;
  }
  CHECK(million.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("irt: calibration matches the NumPy reference on the same grid") {
  const nlohmann::json ref = reference();
  const irt::ScaleCalibration s = fit_simulated(ref, 1e-7);
  CHECK(s.converged);
  REQUIRE(s.items.size() == 6);
  for (std::size_t j = 0; j < 6; ++j) {
    const auto& f = ref["fitted"][j];
    INFO("item " << s.items[j].id);
    CHECK(s.items[j].a == Approx(f["a"].get<double>()).margin(1e-3).epsilon(0));
    CHECK(s.items[j].a_se == Approx(f["a_se"].get<double>()).margin(1e-3).epsilon(0));
    for (std::size_t k = 0; k < 4; ++k) {
      CHECK(s.items[j].b[k] == Approx(f["b"][k].get<double>()).margin(1e-3).epsilon(0));
      CHECK(s.items[j].b_se[k] == Approx(f["b_se"][k].get<double>()).margin(1e-3).epsilon(0));
    }
  }
  for (std::size_t j = 0; j < 6; ++j) {
    const auto& f = ref["item_fit"][j];
    INFO("S-X2 of item " << s.items[j].id);
    CHECK(s.items[j].sx2_df == f["df"].get<int>());
    CHECK(s.items[j].sx2 == Approx(f["s_x2"].get<double>()).margin(1e-3).epsilon(0));
    CHECK(s.items[j].sx2_p == Approx(f["p"].get<double>()).margin(1e-5).epsilon(0));
  }
  CHECK(s.log_likelihood == Approx(ref["log_likelihood"].get<double>()).margin(1e-3).epsilon(0));
  CHECK(s.marginal_reliability == Approx(ref["marginal_reliability"].get<double>()).margin(1e-4).epsilon(0));
  for (std::size_t i = 0; i < ref["information"]["theta"].size(); ++i) {
    const double t = ref["information"]["theta"][i].get<double>();
    CHECK(irt::test_information(s, t) == Approx(ref["information"]["values"][i].get<double>()).margin(1e-3).epsilon(0));
  }
  CHECK(s.parameters == 30);
  CHECK(s.bic == Approx(-2 * s.log_likelihood + 30 * std::log(static_cast<double>(s.rows_used))));
}

TEST_CASE("irt: EAP theta and its SE match the NumPy reference to 1e-6") {
  const nlohmann::json ref = reference();
  const irt::Calibration c = true_calibration(ref);
  for (const auto& p : ref["patterns"]) {
    std::vector<double> answers;
    for (const auto& v : p["answers"]) answers.push_back(answer(v));
    const irt::ThetaEstimate e = irt::theta_eap(c, "s", answers);
    INFO(p["answers"].dump());
    CHECK(e.theta == Approx(p["theta"].get<double>()).margin(1e-6).epsilon(0));
    CHECK(e.se == Approx(p["se"].get<double>()).margin(1e-6).epsilon(0));
  }
}

TEST_CASE("irt: calibration recovers known parameters within their standard errors") {
  // The reference data were simulated from known a and b (tools/irt/grm_reference.py); with 2,000
  // rows each estimate should land within 3.5 of its standard errors of the truth.
  const nlohmann::json ref = reference();
  const irt::ScaleCalibration s = fit_simulated(ref, 1e-4);
  for (std::size_t j = 0; j < 6; ++j) {
    INFO("item " << s.items[j].id);
    CHECK(std::abs(s.items[j].a - ref["true"][j]["a"].get<double>()) < 3.5 * s.items[j].a_se);
    for (std::size_t k = 0; k < 4; ++k) {
      CHECK(std::abs(s.items[j].b[k] - ref["true"][j]["b"][k].get<double>()) < 3.5 * s.items[j].b_se[k]);
    }
    // The data follow the model, so S-X2 should not reject it (at 0.001: six tests at once).
    CHECK(s.items[j].sx2_df > 0);
    CHECK(s.items[j].sx2_p > 0.001);
  }
}

TEST_CASE("irt: a calibration round-trips through its JSON file") {
  const nlohmann::json ref = reference();
  irt::Calibration c = true_calibration(ref);
  c.provenance.input_sha256 = "00";
  const irt::Calibration back = irt::Calibration::from_json_text(c.to_json(), "mem");
  REQUIRE(back.scales.size() == 1);
  CHECK(back.scales[0].items[2].reversed);
  CHECK(back.scales[0].items[3].b == c.scales[0].items[3].b);
  CHECK(back.to_json() == c.to_json());
  nlohmann::json doc = nlohmann::json::parse(c.to_json());
  doc["scales"]["s"]["items"][1]["b"][2] = -5;
  try {
    irt::Calibration::from_json_text(doc.dump(), "cal.json");
    FAIL("thresholds out of order were accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::instrument);
    CHECK(e.where().json_path == "/scales/s/items/1/b/2");
  }
}

TEST_CASE("irt: answers on another response scale than the calibration's are refused") {
  const irt::Calibration c = true_calibration(reference());
  ResponseScale seven;
  seven.min = 1;
  seven.max = 7;
  const std::vector<std::string> ids{"i1", "i2", "i3", "i4", "i5", "i6"};
  CHECK_THROWS_AS(irt::ThetaScorer(c, ids, seven), UsageError);
  irt::Calibration short_b = c;  // built in code, not loaded: three thresholds for five categories
  short_b.scales[0].items[4].b.pop_back();
  CHECK_THROWS_AS(irt::ThetaScorer(short_b, ids, one_to_five()), UsageError);
  const irt::ThetaScorer scorer(c, ids, one_to_five());
  const double off[6] = {1, 2, 6, 3, 3, 3};
  try {
    scorer.eap(0, off);
    FAIL("an answer of 6 on a 1..5 calibration was scored");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::answer);
    CHECK(e.where().item == "i3");
  }
}

TEST_CASE("irt: MAP agrees with the posterior's peak and per-person information counts answered items only") {
  const irt::Calibration c = true_calibration(reference());
  const std::vector<std::string> ids{"i1", "i2", "i3", "i4", "i5", "i6"};
  const irt::ThetaScorer scorer(c, ids, one_to_five());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double answers[6] = {2, 4, 1, nan, 3, 2};
  const irt::ThetaEstimate m = scorer.map(0, answers);
  // The mode found by a brute-force search of the log posterior, written out from the model's
  // definition, on a 1e-4 grid.
  double best = -1e300, arg = 0;
  for (int i = -40000; i <= 40000; ++i) {
    const double t = i * 1e-4;
    double lp = -0.5 * t * t;
    for (std::size_t j = 0; j < 6; ++j) {
      if (std::isnan(answers[j])) continue;
      const auto& it = c.scales[0].items[j];
      const int x = it.reversed ? 5 - static_cast<int>(answers[j]) : static_cast<int>(answers[j]) - 1;
      const double up = x == 0 ? 1 : 1 / (1 + std::exp(-it.a * (t - it.b[x - 1])));
      const double down = x == 4 ? 0 : 1 / (1 + std::exp(-it.a * (t - it.b[x])));
      lp += std::log(up - down);
    }
    if (lp > best) best = lp, arg = t;
  }
  CHECK(m.theta == Approx(arg).margin(2e-4));
  CHECK(m.answered == 5);
  double info = 0;
  for (std::size_t j : {0, 1, 2, 4, 5}) info += irt::item_information(c.scales[0].items[j], 0.3);
  CHECK(scorer.information(0, 0.3, answers) == Approx(info).epsilon(1e-12));
  CHECK(scorer.information(0, 0.3) > info);
}

TEST_CASE("irt: the shipped ECR calibration loads, belongs to the 1..5 scale and to its data") {
  const irt::Calibration c =
      irt::Calibration::from_file(std::string(ATTUNE_TEST_SOURCE_DIR) + "/instruments/calibrations/ecr-openpsychometrics-1to5.json");
  CHECK(c.provenance.instrument_id == "ecr");
  CHECK(c.response_scale.min == 1);
  CHECK(c.response_scale.max == 5);
  REQUIRE(c.scales.size() == 2);
  for (const irt::ScaleCalibration& s : c.scales) {
    CHECK(s.converged);
    CHECK(s.items.size() == 18);
    CHECK(s.rows_used == 46610);
  }
  // ECR key: avoidance = odd items, anxiety = even; reverse-keyed 3, 15, 19, 22, 25, 27, 29, 31, 33, 35.
  CHECK(c.find_scale("anxiety")->items[10].id == "q22");
  CHECK(c.find_scale("anxiety")->items[10].reversed);
  CHECK(c.find_scale("avoidance")->items[1].reversed);
  const Instrument ecr = load_instrument("ecr");
  std::vector<std::string> ids;
  for (const Item& item : ecr.items) ids.push_back(item.id);
  CHECK_THROWS_AS(irt::ThetaScorer(c, ids, ecr.response_scale), UsageError);  // the ECR's own 1..7
  const irt::ThetaScorer scorer(c, ids, c.response_scale);
  std::vector<double> high(36, 5.0), low(36, 1.0);
  for (int p : {3, 15, 19, 22, 25, 27, 29, 31, 33, 35}) high[p - 1] = 1, low[p - 1] = 5;
  CHECK(scorer.eap(scorer.scale_index("anxiety"), high.data()).theta > 2);
  CHECK(scorer.eap(scorer.scale_index("anxiety"), low.data()).theta < -2);
  const std::string data = std::string(ATTUNE_TEST_SHARED_DATA) + "/ecr-openpsychometrics/data.csv";
  std::ifstream in(data, std::ios::binary);
  if (!in) {
    WARN("shared ECR data not found; the calibration's SHA-256 is not checked against it");
    return;
  }
  irt::Sha256 h;
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  CHECK(h.hex() == c.provenance.input_sha256);
}

TEST_CASE("irt: an item whose answers run against its key is refused by name, not written as an unusable file") {
  const nlohmann::json ref = reference();
  std::size_t rows = 0;
  const std::vector<double> data = simulated(rows);
  std::vector<irt::ItemParameters> start = start_items(ref);
  start[0].reversed = !start[0].reversed;  // the key of i1 turned around: its slope fits negative
  irt::CalibrationOptions o;
  o.item_fit = false;
  o.standard_errors = false;
  try {
    irt::calibrate_scale(start, one_to_five(), data.data(), rows, 6, o);
    FAIL("a negative slope was calibrated");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    CHECK(e.where().item == start[0].id);
    CHECK(std::stod(e.where().value) < 0);
    CHECK_THAT(std::string(e.what()), Catch::Matchers::Contains("reverse keys"));
  }
}

TEST_CASE("irt: an answer nobody chose is refused, and the fit does not depend on the thread count") {
  const nlohmann::json ref = reference();
  std::size_t rows = 0;
  std::vector<double> data = simulated(rows);
  irt::CalibrationOptions o;
  o.item_fit = false;
  // Item i2 never answered 5: its top threshold has no maximum.
  std::vector<double> no_five = data;
  for (std::size_t r = 0; r < rows; ++r) {
    if (no_five[r * 6 + 1] == 5) no_five[r * 6 + 1] = 4;
  }
  try {
    irt::calibrate_scale(start_items(ref), one_to_five(), no_five.data(), rows, 6, o);
    FAIL("an empty category was calibrated");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    CHECK(e.where().item == "i2");
  }
  // Three copies of the rows make three E-step blocks of 4,096 rows at most.
  std::vector<double> triple;
  for (int k = 0; k < 3; ++k) triple.insert(triple.end(), data.begin(), data.end());
  o.threads = 1;
  const irt::ScaleCalibration one = irt::calibrate_scale(start_items(ref), one_to_five(), triple.data(), 3 * rows, 6, o);
  o.threads = 3;
  const irt::ScaleCalibration three = irt::calibrate_scale(start_items(ref), one_to_five(), triple.data(), 3 * rows, 6, o);
  CHECK(one.log_likelihood == three.log_likelihood);
  for (std::size_t j = 0; j < 6; ++j) {
    CHECK(one.items[j].a == three.items[j].a);
    CHECK(one.items[j].b == three.items[j].b);
    CHECK(one.items[j].a_se == three.items[j].a_se);
  }
}
