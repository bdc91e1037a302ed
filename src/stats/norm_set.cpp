// A norm set read from its JSON file (format in docs/norms.md), strictly: a norm that cannot be
// traced to its sample, or a table that is not ordered, must not turn into a percentile.
#include "../data_dirs.hpp"
#include "../json_walk.hpp"

#include <attune/limits.hpp>
#include <attune/norms.hpp>

#include <filesystem>

namespace fs = std::filesystem;

namespace attune::norms {

namespace {

// The most rows a sample may say it has: 2e9 fits a 32-bit long, as JsonNode::integer takes in the
// WebAssembly module (4e9 wrapped round there), and is more than any norm sample.
constexpr long kMaxSampleRows = 2000000000L;

using detail::JsonNode;

PercentileTable read_table(const JsonNode& t) {
  t.require_array();
  if (t.size() < 2) t.fail("a percentile table needs at least two rows", "[[value, percentile], ...]");
  PercentileTable out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const JsonNode row = t.at(i);
    row.require_array();
    if (row.size() != 2) row.fail("a table row is [value, percentile]", "two numbers");
    const double v = row.at(std::size_t{0}).number(), p = row.at(std::size_t{1}).number();
    if (!out.value.empty() && !(v > out.value.back())) row.at(std::size_t{0}).fail("table values are not increasing", "a value above the row before");
    if (p < 0 || p > 100 || (!out.percentile.empty() && p < out.percentile.back())) {
      row.at(std::size_t{1}).fail("table percentiles must rise from 0 to 100", "a percentile from the row before's to 100");
    }
    out.value.push_back(v);
    out.percentile.push_back(p);
  }
  return out;
}

Distribution read_distribution(const JsonNode& d) {
  d.allow_only({"mean", "sd", "table"});
  Distribution out;
  out.mean = d.at("mean").number();
  out.sd = d.at("sd").number();
  if (!(out.sd > 1e-9)) d.at("sd").fail("the SD must be positive", "a number above 0");
  if (d.has("table")) out.table = read_table(d.at("table"));
  return out;
}

Gender gender_named(const JsonNode& g) {
  const std::string s = g.str();
  if (s == "female") return Gender::female;
  if (s == "male") return Gender::male;
  g.fail("unknown gender '" + s + "'", "\"female\" or \"male\"");
}

Cell read_cell(const JsonNode& c, bool whole_sample) {
  c.allow_only({"id", "label", "n", "gender", "age", "scales"});
  Cell out;
  out.id = c.at("id").nonempty_str();
  out.label = c.at("label").nonempty_str();
  out.n = static_cast<std::uint64_t>(c.at("n").integer(1, 1000000000L));
  if (whole_sample != !(c.has("gender") || c.has("age"))) {
    c.fail(whole_sample ? "the first cell is the whole sample (no gender, no age)" : "a cell after the first needs gender and age",
           whole_sample ? "a cell without gender and age" : "gender and age");
  }
  if (!whole_sample) {
    out.gender = gender_named(c.at("gender"));
    const JsonNode age = c.at("age");
    age.allow_only({"min", "max"});
    out.age_min = static_cast<int>(age.at("min").integer(0, 150));
    out.age_max = static_cast<int>(age.at("max").integer(out.age_min, 150));
  }
  const JsonNode scales = c.at("scales");
  scales.require_object();
  for (auto it = scales.raw().begin(); it != scales.raw().end(); ++it) {
    const JsonNode s = scales.child(it.key());
    s.allow_only({"alpha", "mean_score", "theta"});
    ScaleNorm n;
    n.scale = it.key();
    if (s.has("alpha")) {
      n.alpha = s.at("alpha").number();
      // An alpha of 1 would make every difference "reliable" (SEM 0); below 0 it is not a reliability.
      if (!(n.alpha >= 0 && n.alpha < 1)) s.at("alpha").fail("alpha must be from 0 to below 1", "a number in [0, 1)");
    }
    n.mean_score = read_distribution(s.at("mean_score"));
    if (s.has("theta")) n.theta = read_distribution(s.at("theta"));
    out.scales.push_back(std::move(n));
  }
  return out;
}

void read_provenance(NormSet& set, const JsonNode& root) {
  const JsonNode sample = root.at("sample");
  sample.allow_only({"description", "rows_in", "n", "selection"});
  set.description = sample.at("description").nonempty_str();
  set.selection = sample.at("selection").nonempty_str();
  set.rows_in = static_cast<std::uint64_t>(sample.at("rows_in").integer(1, kMaxSampleRows));
  set.n = static_cast<std::uint64_t>(sample.at("n").integer(1, kMaxSampleRows));
  const JsonNode source = root.at("source");
  source.allow_only({"citation", "terms", "input", "input_sha256"});
  set.citation = source.at("citation").nonempty_str();
  set.terms = source.at("terms").nonempty_str();
  if (source.has("input")) set.input_name = source.at("input").str();
  if (source.has("input_sha256")) set.input_sha256 = source.at("input_sha256").str();
  set.date = root.at("date").nonempty_str();
  if (root.has("made_with")) set.made_with = root.at("made_with").str();
  if (root.has("name")) set.name = root.at("name").nonempty_str();
  if (root.has("reliability")) set.reliability = root.at("reliability").nonempty_str();
  if (root.has("calibration")) {
    const JsonNode cal = root.at("calibration");
    cal.allow_only({"id", "date", "input_sha256"});
    set.calibration_id = cal.at("id").nonempty_str();
    set.calibration_date = cal.at("date").str();
    set.calibration_sha256 = cal.at("input_sha256").str();
  }
}

}  // namespace

const ScaleNorm* Cell::find(const std::string& scale) const {
  for (const ScaleNorm& s : scales) {
    if (s.scale == scale) return &s;
  }
  return nullptr;
}

NormSet NormSet::from_json_text(const std::string& text, const std::string& source) {
  const detail::json doc = detail::parse_json(text, source, ErrorKind::instrument);
  const JsonNode root(doc, "", source, ErrorKind::instrument);
  root.allow_only({"format", "id", "name", "instrument", "response_scale", "sample", "source", "date", "made_with",
                   "calibration", "reliability", "percentile", "cells"});
  if (root.at("format").str() != "attune-norms/1") root.at("format").fail("unknown norm-set format", "\"attune-norms/1\"");
  NormSet set;
  set.file = source;
  set.id = root.at("id").nonempty_str();
  set.instrument = root.at("instrument").nonempty_str();
  const JsonNode rs = root.at("response_scale");
  rs.allow_only({"min", "max"});
  set.response_scale.min = static_cast<int>(rs.at("min").integer(-1000, 1000));
  set.response_scale.max = static_cast<int>(rs.at("max").integer(set.response_scale.min + 1, 1000));
  read_provenance(set, root);
  const JsonNode cells = root.at("cells");
  cells.require_array();
  if (cells.size() == 0) cells.fail("a norm set needs the whole-sample cell", "at least one cell");
  for (std::size_t i = 0; i < cells.size(); ++i) set.cells.push_back(read_cell(cells.at(i), i == 0));
  return set;
}

NormSet NormSet::from_file(const std::string& path) {
  return from_json_text(read_document(path, "norm-set file"), path);
}

std::string NormSet::source_text() const {
  return id + " (" + citation + "; N = " + std::to_string(n) + ")";
}

NormSet load_norm_set(const std::string& id_or_path) {
  const bool path_like = id_or_path.find('/') != std::string::npos ||
                         (id_or_path.size() > 5 && id_or_path.compare(id_or_path.size() - 5, 5, ".json") == 0);
  std::error_code ec;
  if (path_like || fs::is_regular_file(id_or_path, ec)) return NormSet::from_file(id_or_path);
  std::string known;
  for (const fs::path& dir : attune::detail::data_search_dirs("ATTUNE_INSTRUMENT_PATH", "instruments", ATTUNE_INSTALLED_INSTRUMENTS,
                                                             ATTUNE_SOURCE_INSTRUMENTS)) {
    const fs::path p = dir / "norms" / (id_or_path + ".json");
    if (fs::is_regular_file(p, ec)) return NormSet::from_file(p.string());
    for (const auto& entry : fs::directory_iterator(dir / "norms", ec)) {
      if (entry.path().extension() == ".json") known += (known.empty() ? "" : ", ") + entry.path().stem().string();
    }
  }
  Location where;
  where.value = id_or_path;
  throw UsageError("unknown norm set '" + id_or_path + "'", where,
                   "a shipped norm set (" + (known.empty() ? std::string("none found") : known) +
                       ") or the path of a norm-set file");
}

}  // namespace attune::norms
