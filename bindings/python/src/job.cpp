// attune._core.research_job: the library's research job (attune/research_job.hpp) on a data file,
// as `attune score` runs it; and the output table's column names, which the Python frame walks.
#include <attune/attune.hpp>
#include <attune/research_job.hpp>

#include "extras.hpp"

#include <pybind11/stl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace attune_py {

namespace py = pybind11;
using namespace attune;

namespace {

// The score columns of the frame, in the table's order (src/batch/columns.cpp, output_table()): no
// kept, row-number or extra columns, which the frame adds or does not have.
std::vector<std::string> frame_output_columns(const ScoringPlan& plan, bool quality) {
  BatchOptions bo;
  bo.keep_id_column = false;
  std::unique_ptr<QualityScorer> scorer;
  if (quality) {
    scorer = std::make_unique<QualityScorer>(plan, QualityThresholds{}, nullptr);
    bo.quality = scorer.get();
  }
  return output_columns(plan, bo, {});
}

// columns= as the frame takes it: None (by item id), a pattern ("Q{n}"), a list in item order, or a
// dict item id -> column.
ColumnMapping mapping_of(const py::object& columns) {
  ColumnMapping m;
  if (columns.is_none()) return m;
  if (py::isinstance<py::str>(columns)) {
    m.mode = ColumnMapping::Mode::pattern;
    m.pattern = columns.cast<std::string>();
    if (m.pattern.find('{') == std::string::npos)
      throw UsageError("column pattern '" + m.pattern + "' has no {n} or {id}", {}, "e.g. 'Q{n}' or '{id}'");
  } else if (py::isinstance<py::dict>(columns)) {
    m.mode = ColumnMapping::Mode::pairs;
    for (auto kv : columns.cast<py::dict>()) m.pairs.emplace_back(kv.first.cast<std::string>(), kv.second.cast<std::string>());
  } else {
    m.mode = ColumnMapping::Mode::list;
    m.columns = columns.cast<std::vector<std::string>>();
  }
  return m;
}

py::dict row_error_dict(const RowError& e) {
  py::dict d;
  d["row"] = e.row;
  d["line"] = e.line;
  d["column"] = e.column;
  d["column_name"] = e.column_name;
  d["item"] = e.item;
  d["value"] = e.value;
  d["reason"] = e.reason;
  d["expected"] = e.expected;
  return d;
}

py::dict summary_dict(const ResearchSummary& s, const std::vector<RowError>& errors, bool quality) {
  py::dict d;
  d["rows_in"] = s.rows.rows_in;
  d["rows_scored"] = s.rows.rows_scored;
  d["rows_reported"] = s.rows.rows_reported;
  d["rows_with_notes"] = s.rows.rows_with_notes;
  d["rows_skipped"] = s.rows.rows_skipped;
  d["blank_lines"] = s.rows.blank_lines;
  if (quality) {
    py::dict flagged;
    for (int f = 0; f < kQualityFlags; ++f) flagged[to_string(static_cast<QualityFlag>(f))] = s.rows.quality_flagged[static_cast<std::size_t>(f)];
    flagged["any"] = s.rows.quality_any;
    d["quality"] = py::dict(py::arg("flagged") = flagged, py::arg("note") = s.quality_note);
  }
  d["reliability_json"] = s.reliability ? py::object(py::str(to_json(*s.reliability))) : py::object(py::none());
  const ResponseScaleStatus& r = s.response_scale;
  d["response_scale"] = py::dict(py::arg("declared") = r.declared, py::arg("checked") = r.checked, py::arg("fits") = r.fits,
                                 py::arg("observed") = r.observed, py::arg("warning") = r.warning);
  py::list errs;
  for (const RowError& e : errors) errs.append(row_error_dict(e));
  d["errors"] = errs;
  return d;
}

// The scores go to OUTPUT.part beside the output and are renamed over it once complete: a failed
// job leaves no half-written file under the name asked for, and never truncates its own input.
struct PartFile {
  std::string path, part;
  std::FILE* f = nullptr;
  explicit PartFile(const std::string& p) : path(p), part(p + ".part") {
    f = std::fopen(part.c_str(), "wb");
    if (!f) throw IoError(std::string("cannot create the output: ") + std::strerror(errno), Location::in_file(part));
  }
  ~PartFile() {
    if (f) std::fclose(f);
    if (!part.empty()) std::remove(part.c_str());
  }
  void commit() {
    const bool closed = std::fclose(f) == 0;
    f = nullptr;
    if (!closed || std::rename(part.c_str(), path.c_str()) != 0)
      throw IoError(std::string("cannot write the output: ") + std::strerror(errno), Location::in_file(path));
    part.clear();
  }
};

py::dict research_job(const ScoringPlan& plan, const std::string& input, const std::string& output, const py::dict& o,
                      const py::object& progress) {
  ResearchJobOptions opt;
  opt.input = input;
  opt.scoring = plan.options();
  opt.input_options.format = input_format_for(input, o["input_format"].cast<std::string>());
  opt.batch.mapping = mapping_of(py::object(o["columns"]));
  opt.batch.missing_codes = o["missing"].cast<std::vector<std::string>>();
  opt.batch.keep = o["keep"].cast<std::vector<std::string>>();
  opt.batch.keep_id_column = o["keep_default"].cast<bool>();
  const std::string format = o["format"].cast<std::string>();
  opt.batch.format = format == "jsonl" ? OutputFormat::jsonl : OutputFormat::csv;
  opt.sav_output = format == "sav";
  opt.batch.on_error = o["on_error"].cast<std::string>() == "stop" ? ErrorPolicy::stop : ErrorPolicy::report;
  opt.batch.decimals = o["decimals"].cast<int>();
  opt.batch.threads = o["threads"].cast<unsigned>();
  opt.batch.skip_rows = o["skip_rows"].cast<std::size_t>();
  opt.batch.row_numbers = o["row_numbers"].cast<bool>();
  opt.batch.delimiter = o["delimiter"].cast<char>();
  opt.sample_norms = o["sample_norms"].cast<bool>();
  opt.quality = o["quality"].cast<bool>();
  opt.quality_thresholds = thresholds_from(o["quality_thresholds"].cast<py::dict>());
  opt.reliability = o["reliability"].cast<bool>();
  opt.check_response_scale = !o["response_scale_confirmed"].cast<bool>();
  std::vector<RowError> errors;
  ResearchHooks hooks;
  std::unique_ptr<PartFile> out;
  hooks.open_output = [&] {
    out = std::make_unique<PartFile>(output);
    return ResearchOutput{out->f, output, output};
  };
  hooks.on_error = [&errors](const RowError& e) { errors.push_back(e); };
  if (!progress.is_none()) {
    // The hook is copied with the GIL released: it holds a pointer, never a Python reference.
    const py::object* fn = &progress;
    hooks.progress = [fn](std::uint64_t rows, std::uint64_t bytes, std::uint64_t total) {
      py::gil_scoped_acquire gil;
      (*fn)(rows, bytes, total);
    };
  }
  ResearchSummary s;
  {
    py::gil_scoped_release nogil;
    ResearchJob job(plan.instrument(), std::move(opt));
    s = job.run(hooks);
    out->commit();
  }
  return summary_dict(s, errors, o["quality"].cast<bool>());
}

}  // namespace

void register_job(py::module_& m) {
  m.def("output_columns", &frame_output_columns, py::arg("plan"), py::arg("quality") = false);
  m.def("research_job", &research_job, py::arg("plan"), py::arg("input"), py::arg("output"), py::arg("options"),
        py::arg("progress") = py::none());
}

}  // namespace attune_py
