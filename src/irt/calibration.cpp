// A calibration as data: fitting every item scale of an instrument, and the JSON file that holds
// the parameters with their provenance (format in docs/irt.md).
#include "em.hpp"

#include <attune/error.hpp>
#include <attune/limits.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace attune::irt {

namespace {

using ordered_json = nlohmann::ordered_json;  // keys in the order written: a calibration file reads top to bottom

ordered_json number(double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); }

ordered_json numbers(const std::vector<double>& v) {
  ordered_json out = ordered_json::array();
  for (double x : v) out.push_back(number(x));
  return out;
}

ordered_json item_json(const ItemParameters& it) {
  return ordered_json{{"id", it.id},         {"a", it.a},
              {"b", it.b},           {"a_se", number(it.a_se)},
              {"b_se", numbers(it.b_se)}, {"reversed", it.reversed},
              {"answered", it.answered}, {"s_x2", number(it.sx2)},
              {"s_x2_df", it.sx2_df},  {"s_x2_p", number(it.sx2_p)}};
}

ordered_json scale_json(const ScaleCalibration& s) {
  ordered_json items = ordered_json::array();
  for (const ItemParameters& it : s.items) items.push_back(item_json(it));
  return ordered_json{{"items", items},
              {"rows_used", s.rows_used},
              {"log_likelihood", s.log_likelihood},
              {"parameters", s.parameters},
              {"aic", s.aic},
              {"bic", s.bic},
              {"iterations", s.iterations},
              {"converged", s.converged},
              {"max_change", s.max_change},
              {"marginal_reliability", number(s.marginal_reliability)},
              {"empirical_reliability", number(s.empirical_reliability)},
              {"test_information", {{"theta", s.info_theta}, {"information", s.info}}}};
}

ordered_json provenance_json(const Provenance& p) {
  return ordered_json{{"instrument", p.instrument_id},   {"instrument_version", p.instrument_version},
              {"description", p.description},   {"source", p.source},
              {"date", p.date},                 {"attune_version", p.attune_version},
              {"input", p.input_name},          {"input_sha256", p.input_sha256},
              {"rows_in", p.rows_in},           {"rows_used", p.rows_used},
              {"complete_only", p.complete_only}, {"method", p.method}};
}

[[noreturn]] void invalid(const std::string& source, const std::string& path, const std::string& message,
                          const std::string& expected) {
  Location where = Location::in_file(source);
  where.json_path = path;
  throw InstrumentError(message, where, expected);
}

double get_number(const ordered_json& j, const char* key, const std::string& source, const std::string& path) {
  if (!j.contains(key) || !(j[key].is_number() || j[key].is_null())) invalid(source, path + "/" + key, "missing or not a number", "a number");
  return j[key].is_null() ? std::numeric_limits<double>::quiet_NaN() : j[key].get<double>();
}

// K - 1 increasing thresholds.
void read_thresholds(ItemParameters& it, const ordered_json& j, int K, const std::string& source, const std::string& path) {
  if (!j.contains("b") || !j["b"].is_array() || j["b"].size() != static_cast<std::size_t>(K - 1)) {
    invalid(source, path + "/b", "the thresholds do not fit the response scale", std::to_string(K - 1) + " numbers");
  }
  for (std::size_t k = 0; k < j["b"].size(); ++k) {
    const ordered_json& b = j["b"][k];
    if (!b.is_number() || (k > 0 && !(b.get<double>() > it.b.back()))) {
      invalid(source, path + "/b/" + std::to_string(k), "the thresholds are not increasing numbers", "increasing numbers");
    }
    it.b.push_back(b.get<double>());
  }
}

// What the calibration reported about the item, all optional: standard errors and the fit.
void read_item_statistics(ItemParameters& it, const ordered_json& j, const std::string& source, const std::string& path) {
  it.a_se = j.contains("a_se") ? get_number(j, "a_se", source, path) : std::numeric_limits<double>::quiet_NaN();
  if (j.contains("b_se") && j["b_se"].is_array() && j["b_se"].size() == it.b.size()) {
    for (const ordered_json& se : j["b_se"]) it.b_se.push_back(se.is_number() ? se.get<double>() : std::numeric_limits<double>::quiet_NaN());
  }
  it.answered = j.value("answered", std::uint64_t{0});
  it.sx2 = j.contains("s_x2") ? get_number(j, "s_x2", source, path) : std::numeric_limits<double>::quiet_NaN();
  it.sx2_df = j.value("s_x2_df", 0);
  it.sx2_p = j.contains("s_x2_p") ? get_number(j, "s_x2_p", source, path) : std::numeric_limits<double>::quiet_NaN();
}

ItemParameters item_from(const ordered_json& j, int K, const std::string& source, const std::string& path) {
  ItemParameters it;
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) invalid(source, path + "/id", "an item needs an id", "a string");
  it.id = j["id"].get<std::string>();
  it.a = get_number(j, "a", source, path);
  if (!std::isfinite(it.a) || it.a == 0) invalid(source, path + "/a", "the slope is not a usable number", "a finite, non-zero number");
  read_thresholds(it, j, K, source, path);
  it.reversed = j.value("reversed", false);
  read_item_statistics(it, j, source, path);
  return it;
}

void read_scale_statistics(ScaleCalibration& s, const ordered_json& j) {
  s.rows_used = j.value("rows_used", std::uint64_t{0});
  auto num = [&](const char* key) {
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::numeric_limits<double>::quiet_NaN();
  };
  s.log_likelihood = num("log_likelihood");
  s.aic = num("aic");
  s.bic = num("bic");
  s.max_change = num("max_change");
  s.marginal_reliability = num("marginal_reliability");
  s.empirical_reliability = num("empirical_reliability");
  s.parameters = j.value("parameters", 0);
  s.iterations = j.value("iterations", 0);
  s.converged = j.value("converged", false);
  if (j.contains("test_information") && j["test_information"].is_object()) {
    s.info_theta = j["test_information"].value("theta", std::vector<double>{});
    s.info = j["test_information"].value("information", std::vector<double>{});
  }
}

void read_header(Calibration& c, const ordered_json& doc, const std::string& source) {
  if (!doc.is_object()) invalid(source, "", "a calibration is a JSON object", "an object");
  if (doc.value("format", 0) != 1) invalid(source, "/format", "unknown calibration format", "1");
  if (doc.value("model", std::string()) != "graded") invalid(source, "/model", "unknown model", "\"graded\"");
  const ordered_json& rs = doc.value("response_scale", ordered_json::object());
  c.response_scale.min = rs.value("min", 0);
  c.response_scale.max = rs.value("max", 0);
  if (c.response_scale.max <= c.response_scale.min || c.response_scale.max - c.response_scale.min > 30) {
    invalid(source, "/response_scale", "the response scale is missing or unusable", "{\"min\": 1, \"max\": 5} or similar");
  }
  const ordered_json& g = doc.value("grid", ordered_json::object());
  c.grid.nodes = g.value("nodes", 0);
  c.grid.lo = g.value("lo", 0.0);
  c.grid.hi = g.value("hi", 0.0);
  if (c.grid.nodes < 2 || c.grid.nodes > 1001 || !(c.grid.lo < c.grid.hi)) {
    invalid(source, "/grid", "the quadrature grid is missing or unusable", "nodes 2..1001 on lo < hi");
  }
  const ordered_json& p = doc.value("provenance", ordered_json::object());
  Provenance& v = c.provenance;
  v.instrument_id = p.value("instrument", std::string());
  v.instrument_version = p.value("instrument_version", std::string());
  v.description = p.value("description", std::string());
  v.source = p.value("source", std::string());
  v.date = p.value("date", std::string());
  v.attune_version = p.value("attune_version", std::string());
  v.input_name = p.value("input", std::string());
  v.input_sha256 = p.value("input_sha256", std::string());
  v.rows_in = p.value("rows_in", std::uint64_t{0});
  v.rows_used = p.value("rows_used", std::uint64_t{0});
  v.complete_only = p.value("complete_only", false);
  v.method = p.value("method", std::string());
}

}  // namespace

const ScaleCalibration* Calibration::find_scale(const std::string& id) const {
  for (const ScaleCalibration& s : scales) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::string Calibration::to_json() const {
  ordered_json doc{{"format", format},
           {"model", model},
           {"response_scale", {{"min", response_scale.min}, {"max", response_scale.max}}},
           {"grid", {{"nodes", grid.nodes}, {"lo", grid.lo}, {"hi", grid.hi}, {"prior", "normal(0, 1)"}}},
           {"provenance", provenance_json(provenance)}};
  ordered_json sc = ordered_json::object();
  for (const ScaleCalibration& s : scales) sc[s.id] = scale_json(s);
  doc["scales"] = sc;
  return doc.dump(2) + "\n";
}

Calibration Calibration::from_json_text(const std::string& text, const std::string& source) {
  ordered_json doc = ordered_json::parse(text, nullptr, false);
  if (doc.is_discarded()) invalid(source, "", "the calibration file is not valid JSON", "a JSON object");
  Calibration c;
  read_header(c, doc, source);
  const int K = c.response_scale.max - c.response_scale.min + 1;
  if (!doc.contains("scales") || !doc["scales"].is_object() || doc["scales"].empty()) {
    invalid(source, "/scales", "a calibration needs at least one scale", "an object of scales");
  }
  for (const auto& [id, js] : doc["scales"].items()) {
    ScaleCalibration s;
    s.id = id;
    const std::string path = "/scales/" + id;
    if (!js.is_object() || !js.contains("items") || !js["items"].is_array() || js["items"].empty()) {
      invalid(source, path + "/items", "a scale needs its items", "an array of items");
    }
    for (std::size_t i = 0; i < js["items"].size(); ++i) {
      s.items.push_back(item_from(js["items"][i], K, source, path + "/items/" + std::to_string(i)));
    }
    read_scale_statistics(s, js);
    c.scales.push_back(std::move(s));
  }
  return c;
}

Calibration Calibration::from_file(const std::string& path) {
  return from_json_text(read_document(path, "calibration file"), path);
}

Calibration calibrate(const Instrument& instrument, const ResponseScale& scale, const double* answers, std::size_t rows,
                      const CalibrationOptions& options) {
  Calibration c;
  c.response_scale = scale;
  c.grid = options.grid;
  c.provenance.instrument_id = instrument.id;
  c.provenance.instrument_version = instrument.version;
  c.provenance.rows_in = rows;
  c.provenance.rows_used = rows;
  for (const Scale& s : instrument.scales) {
    if (s.derived()) continue;
    std::vector<ItemParameters> start;
    std::vector<std::size_t> columns;
    for (const std::string& id : s.items) {
      ItemParameters it;
      it.id = id;
      it.reversed = s.is_reversed(id);
      start.push_back(it);
      for (std::size_t i = 0; i < instrument.items.size(); ++i) {
        if (instrument.items[i].id == id) columns.push_back(i);
      }
    }
    ScaleCalibration sc =
        detail::calibrate_columns(start, scale, answers, rows, instrument.items.size(), columns, options);
    sc.id = s.id;
    c.scales.push_back(std::move(sc));
  }
  return c;
}

}  // namespace attune::irt
