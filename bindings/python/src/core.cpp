// attune._core: the private compiled module under the pure-Python package `attune`. It hands whole
// column blocks to the C++ batch kernel with the GIL released (no per-row Python), and turns every
// attune::Error into the matching attune.Error subclass with the same fields.
#include <attune/attune.hpp>
#include <attune/couple.hpp>
#include <attune/output_columns.hpp>
#include <attune/reliability.hpp>

#include "columns.hpp"
#include "extras.hpp"
#include "irt_partition.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace py = pybind11;
using namespace attune;
using namespace attune_py;

namespace {

// ---- errors -------------------------------------------------------------------------------------

void raise_attune_error(const Error& e) {
  const Location& w = e.where();
  py::dict fields;
  fields["message"] = e.message();
  fields["expected"] = e.expected();
  fields["file"] = w.file;
  fields["row"] = w.row;
  fields["line"] = w.line;
  fields["column"] = w.column;
  fields["column_name"] = w.column_name;
  fields["item"] = w.item;
  fields["value"] = w.value;
  fields["json_path"] = w.json_path;
  py::object exc = py::module_::import("attune._errors").attr("from_core")(static_cast<int>(e.kind()), e.what(), fields);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
}

// ---- options ------------------------------------------------------------------------------------

ScoringPlan make_plan(const Instrument& ins, const std::string& profile_method, const py::object& data_scale,
                      const py::object& norms, const std::string& norms_label, bool norms_from_sample) {
  ScoringOptions so;
  so.profile_method = profile_method;
  if (!data_scale.is_none()) {
    auto t = data_scale.cast<std::pair<int, int>>();
    if (t.first >= t.second) {
      throw UsageError("data_scale " + std::to_string(t.first) + ".." + std::to_string(t.second) + " is empty", {},
                       "(min, max) with min < max");
    }
    ResponseScale rs;
    rs.min = t.first;
    rs.max = t.second;
    so.data_scale = rs;
  }
  if (norms.is_none() || (py::isinstance<py::str>(norms) && norms.cast<std::string>() == "instrument")) {
    so.norms_source = NormsSource::instrument;
  } else if (py::isinstance<py::str>(norms) && norms.cast<std::string>() == "midpoint") {
    so.norms_source = NormsSource::midpoint;
  } else if (py::isinstance<py::dict>(norms)) {
    for (auto kv : norms.cast<py::dict>()) {
      auto key = kv.first.cast<std::string>();
      py::dict v = kv.second.cast<py::dict>();
      if (!v.contains("mean") || !v.contains("sd")) {
        Location where;
        where.json_path = "/" + key;
        throw UsageError("norms entry needs mean and sd", where, "{'mean': m, 'sd': s}");
      }
      Norm n;
      n.mean = v["mean"].cast<double>();
      n.sd = v["sd"].cast<double>();
      if (v.contains("n")) n.n = v["n"].cast<long>();
      if (v.contains("alpha")) {
        // 0 would read as "no alpha" in Norm; the range of the rest is checked by ScoringPlan::compile.
        n.alpha = v["alpha"].cast<double>();
        if (!(n.alpha > 0 && n.alpha < 1)) {
          Location where;
          where.json_path = "/" + key + "/alpha";
          where.value = py::str(v["alpha"]).cast<std::string>();
          throw UsageError("norms alpha outside (0, 1)", where, "a reliability strictly between 0 and 1");
        }
      }
      so.norms[key] = n;
    }
    so.norms_source = norms_from_sample ? NormsSource::sample : NormsSource::user;
    so.norms_label = norms_label;
  } else {
    throw UsageError("norms must be 'instrument', 'midpoint' or a dict {scale: {'mean': m, 'sd': s}}");
  }
  return ScoringPlan::compile(ins, so);
}

// ---- columns in, blocks out ---------------------------------------------------------------------

template <class T>
py::array_t<T> new_array(std::size_t rows, std::size_t width) {
  if (width == 1) return py::array_t<T>({static_cast<py::ssize_t>(rows)});
  return py::array_t<T>({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(width)});
}

py::dict score_columns(const ScoringPlan& plan, const py::list& cols, const std::vector<double>& missing, unsigned threads) {
  std::size_t rows = 0;
  std::vector<py::array> keep;
  std::vector<Column> in = columns_of(cols, rows, keep);
  if (in.size() != plan.item_count()) {
    throw UsageError(std::to_string(in.size()) + " columns for " + std::to_string(plan.item_count()) + " items", {},
                     "one column per item, in the instrument's item order");
  }
  const std::size_t S = plan.scale_count(), K = plan.item_count();
  auto raw = new_array<double>(rows, S), z = new_array<double>(rows, S), pct = new_array<double>(rows, S);
  auto answered = new_array<std::uint16_t>(rows, S);
  auto dims = new_array<double>(rows, 4), plane = new_array<double>(rows, 2), post = new_array<double>(rows, 4);
  auto cat = new_array<std::uint8_t>(rows, 1);
  auto conf = new_array<double>(rows, 1);
  auto bad = new_array<std::int32_t>(rows, 1);
  double *p_raw = raw.mutable_data(), *p_z = z.mutable_data(), *p_pct = pct.mutable_data();
  std::uint16_t* p_ans = answered.mutable_data();
  double *p_dims = dims.mutable_data(), *p_plane = plane.mutable_data(), *p_post = post.mutable_data();
  std::uint8_t* p_cat = cat.mutable_data();
  double* p_conf = conf.mutable_data();
  std::int32_t* p_bad = bad.mutable_data();
  {
    py::gil_scoped_release nogil;
    // Slices keep each worker's row-major block in cache; one BlockScores per worker is reused.
    constexpr std::size_t kSlice = 8192;
    const unsigned workers = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::vector<double>> xs(workers);
    std::vector<BlockScores> bs(workers);
    parallel_slices(rows, workers, kSlice, [&](std::size_t b, std::size_t n, unsigned w) {
      std::vector<double>& x = xs[w];
      x.resize(n * K);
      gather(in, b, n, missing, x.data());
      BlockScores& o = bs[w];
      score_block(plan, x.data(), n, o);
      std::copy_n(o.raw.data(), n * S, p_raw + b * S);
      std::copy_n(o.z.data(), n * S, p_z + b * S);
      std::copy_n(o.percentile.data(), n * S, p_pct + b * S);
      std::copy_n(o.answered.data(), n * S, p_ans + b * S);
      std::copy_n(o.dimensions.data(), n * 4, p_dims + b * 4);
      std::copy_n(o.plane.data(), n * 2, p_plane + b * 2);
      std::copy_n(o.posterior.data(), n * 4, p_post + b * 4);
      std::copy_n(o.category.data(), n, p_cat + b);
      std::copy_n(o.confidence.data(), n, p_conf + b);
      std::copy_n(o.bad_item.data(), n, p_bad + b);
    });
  }
  py::dict d;
  d["raw"] = raw;
  d["z"] = z;
  d["percentile"] = pct;
  d["answered"] = answered;
  d["dimensions"] = dims;
  d["plane"] = plane;
  d["posterior"] = post;
  d["category"] = cat;
  d["confidence"] = conf;
  d["bad_item"] = bad;
  return d;
}

// Why one row cannot be scored (the same message the CLI writes): only called for the few bad rows.
py::dict row_error(const ScoringPlan& plan, py::array_t<double, py::array::c_style | py::array::forcecast> row) {
  if (static_cast<std::size_t>(row.size()) != plan.item_count()) throw UsageError("row has the wrong number of values");
  py::dict d;
  try {
    (void)score(plan, row.data());
  } catch (const Error& e) {
    d["reason"] = e.message();
    d["item"] = e.where().item;
    d["value"] = e.where().value;
    d["expected"] = e.expected();
  }
  return d;
}

// ---- one person ---------------------------------------------------------------------------------

}  // namespace

namespace attune_py {

Responses responses_of(const ScoringPlan& plan, const py::dict& answers) {
  Responses r(plan);
  for (auto kv : answers) {
    std::string key = py::isinstance<py::int_>(kv.first) ? std::to_string(kv.first.cast<long>()) : kv.first.cast<std::string>();
    if (kv.second.is_none()) {
      // Missing is explicit: find the item by id or position; an unknown key gets Responses' own error.
      const Instrument& ins = plan.instrument();
      const Item* it = ins.find_item(key);
      if (!it && !key.empty() && key.find_first_not_of("0123456789") == std::string::npos && key.size() < 9) {
        it = ins.item_at_position(std::stoi(key));
      }
      if (!it) r.set_by_key(key, ins.response_scale.min);
      else r.set_missing(it->id);
      continue;
    }
    if (py::isinstance<py::bool_>(kv.second)) {
      // bool is an int in Python; scoring True as 1 would be a silent guess.
      Location where;
      where.item = key;
      where.value = py::str(kv.second).cast<std::string>();
      throw AnswerError("answer is true/false, not a number", where, "a number on the response scale, or None for missing");
    }
    double v;
    try {
      v = kv.second.cast<double>();
    } catch (const py::cast_error&) {
      Location where;
      where.item = key;
      where.value = py::str(kv.second).cast<std::string>();
      throw AnswerError("answer is not a number", where, "a number, or None for missing");
    }
    r.set_by_key(key, v);
  }
  return r;
}

}  // namespace attune_py

namespace {

std::string score_answers(const ScoringPlan& plan, const py::dict& answers, int indent) {
  return to_json(plan, score(plan, attune_py::responses_of(plan, answers)), indent);
}

// ---- reliability --------------------------------------------------------------------------------

// Per-scale sums of a reliability pass, picklable so Dask can move them between processes.
struct SumsSet {
  std::vector<ReliabilitySums> scales;
};

template <class T>
py::array_t<T> to_np(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}
template <class T>
std::vector<T> from_np(const py::handle& h) {
  auto a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a) throw UsageError("bad reliability sums state");
  return std::vector<T>(a.data(), a.data() + a.size());
}

py::list sums_state(const SumsSet& s) {
  py::list out;
  for (const auto& r : s.scales) {
    py::dict d;
    d["scale"] = r.scale;
    d["items"] = r.items;
    d["reversed"] = std::vector<int>(r.reversed.begin(), r.reversed.end());
    d["value_min"] = r.value_min;
    d["value_max"] = r.value_max;
    d["rows"] = r.rows;
    d["rows_any"] = r.rows_any;
    d["n_complete"] = r.n_complete;
    d["c_sum"] = to_np(r.c_sum);
    d["c_cross"] = to_np(r.c_cross);
    d["p_n"] = to_np(r.p_n);
    d["p_sx"] = to_np(r.p_sx);
    d["p_sxx"] = to_np(r.p_sxx);
    d["p_sxy"] = to_np(r.p_sxy);
    d["c_freq"] = to_np(r.c_freq);
    d["p_freq"] = to_np(r.p_freq);
    out.append(d);
  }
  return out;
}

SumsSet sums_from_state(const py::list& state) {
  SumsSet s;
  for (py::handle h : state) {
    py::dict d = py::reinterpret_borrow<py::dict>(h);
    ReliabilitySums r;
    r.scale = d["scale"].cast<std::string>();
    r.items = d["items"].cast<std::vector<int>>();
    for (int v : d["reversed"].cast<std::vector<int>>()) r.reversed.push_back(static_cast<std::uint8_t>(v));
    r.value_min = d["value_min"].cast<int>();
    r.value_max = d["value_max"].cast<int>();
    r.rows = d["rows"].cast<double>();
    r.rows_any = d["rows_any"].cast<double>();
    r.n_complete = d["n_complete"].cast<double>();
    r.c_sum = from_np<double>(d["c_sum"]);
    r.c_cross = from_np<double>(d["c_cross"]);
    r.p_n = from_np<double>(d["p_n"]);
    r.p_sx = from_np<double>(d["p_sx"]);
    r.p_sxx = from_np<double>(d["p_sxx"]);
    r.p_sxy = from_np<double>(d["p_sxy"]);
    r.c_freq = from_np<double>(d["c_freq"]);
    r.p_freq = from_np<double>(d["p_freq"]);
    s.scales.push_back(std::move(r));
  }
  return s;
}

SumsSet reliability_sums(const ScoringPlan& plan, const py::list& cols, const std::vector<double>& missing) {
  ReliabilityAccumulator acc(plan);
  accumulate_columns(plan, cols, missing, {&acc});
  return SumsSet{acc.scales()};
}

py::dict item_dict(const ItemStatistics& it) {
  py::dict d;
  d["id"] = it.id;
  d["reversed"] = it.reversed;
  d["n"] = it.n;
  d["missing"] = it.missing;
  d["mean"] = it.mean;
  d["sd"] = it.sd;
  d["r_drop"] = it.r_drop;
  d["r_cor"] = it.r_cor;
  d["std_r"] = it.std_r;
  d["alpha_if_deleted"] = it.alpha_if_deleted;
  d["std_alpha_if_deleted"] = it.std_alpha_if_deleted;
  d["missing_share"] = it.missing_share;
  d["frequencies"] = it.frequencies;
  return d;
}

py::dict warning_dict(const MiskeyWarning& w) {
  py::dict d;
  d["scale"] = w.scale;
  d["item"] = w.item;
  d["reversed"] = w.reversed;
  d["r_drop"] = w.r_drop;
  d["message"] = w.message;
  return d;
}

py::dict reliability_report(const ScoringPlan& plan, const SumsSet& sums, const std::string& missing, double miskey_below,
                            double ci_level) {
  ReliabilityOptions opt;
  if (missing == "pairwise") opt.missing = MissingHandling::pairwise;
  else if (missing == "listwise") opt.missing = MissingHandling::listwise;
  else throw UsageError("missing='" + missing + "' is unknown", {}, "'pairwise' or 'listwise'");
  opt.miskey_below = miskey_below;
  opt.ci_level = ci_level;
  // The same assembly as attune::reliability(accumulator): one scale_reliability per item scale.
  ReliabilityReport rep;
  const Instrument& ins = plan.instrument();
  rep.instrument_id = ins.id;
  rep.instrument_version = ins.version;
  rep.missing = opt.missing;
  rep.ci_level = opt.ci_level;
  for (const auto& s : sums.scales) {
    std::vector<std::string> ids;
    for (int i : s.items) ids.push_back(ins.items[static_cast<std::size_t>(i)].id);
    rep.scales.push_back(scale_reliability(s, ids, opt));
    for (const auto& w : rep.scales.back().warnings) rep.warnings.push_back(w);
  }
  py::dict out;
  out["instrument_id"] = rep.instrument_id;
  out["instrument_version"] = rep.instrument_version;
  out["missing"] = missing;
  out["ci_level"] = rep.ci_level;
  py::list scales;
  for (const auto& s : rep.scales) {
    py::dict d;
    d["id"] = s.id;
    d["k"] = s.k;
    d["n"] = s.n;
    d["n_complete"] = s.n_complete;
    d["alpha"] = s.alpha;
    d["std_alpha"] = s.std_alpha;
    d["lambda6"] = s.lambda6;
    d["average_r"] = s.average_r;
    d["median_r"] = s.median_r;
    d["signal_noise"] = s.signal_noise;
    d["ase"] = s.ase;
    d["alpha_ci_feldt"] = py::make_tuple(s.alpha_ci_feldt.lower, s.alpha_ci_feldt.upper);
    d["alpha_ci_duhachek"] = py::make_tuple(s.alpha_ci_duhachek.lower, s.alpha_ci_duhachek.upper);
    d["omega_total"] = s.omega_total;
    d["omega_converged"] = s.omega_converged;
    d["note"] = s.note;
    py::list items;
    for (const auto& it : s.items) items.append(item_dict(it));
    d["items"] = items;
    scales.append(d);
  }
  out["scales"] = scales;
  py::list warnings;
  for (const auto& w : rep.warnings) warnings.append(warning_dict(w));
  out["warnings"] = warnings;
  out["json"] = to_json(rep, 2);
  return out;
}

// ---- guidance -----------------------------------------------------------------------------------

// The default pack is read once per process (it is ~40 files); a failed load is retried next call.
const Guidance& default_guidance() {
  static std::mutex m;
  static std::unique_ptr<Guidance> g;
  std::lock_guard<std::mutex> lock(m);
  if (!g) g = std::make_unique<Guidance>(Guidance::load("en"));
  return *g;
}

// compare() and couple(): two saved results' JSON in, the CLI's --format json out (docs/change.md).
std::string change_json(bool couple, const std::string& first, const std::string& second, const std::string& options,
                        const std::string& guidance_dir) {
  std::optional<Guidance> chosen;
  if (!guidance_dir.empty()) chosen = Guidance::from_directory(guidance_dir);
  const Guidance& g = chosen ? *chosen : default_guidance();
  return couple ? couple_json(first, second, options, g, -1) : compare_json(first, second, options, g, -1);
}

// The plan for a saved result (the JSON of score()). The scoring plan is rebuilt from the result's
// instrument id and profile method, as `attune plan` does for a saved result, unless one is given.
std::string plan_json(const std::string& result_json, const ScoringPlan* scoring, const std::string& stage,
                      std::optional<bool> parent, std::optional<bool> partnered, const std::string& start,
                      const std::string& guidance_dir, int indent) {
  Result result = result_from_json(result_json, "<result>");
  Context ctx;
  ctx.stage = stage;
  ctx.parent = parent;
  ctx.partnered = partnered;
  if (!start.empty()) ctx.start = Date::parse(start);
  std::optional<ScoringPlan> own;
  if (!scoring) {
    ScoringOptions so;
    so.profile_method = result.profile.method;
    own = ScoringPlan::compile(load_instrument(result.instrument_id), so);
    scoring = &*own;
  }
  std::optional<Guidance> chosen;
  if (!guidance_dir.empty()) chosen = Guidance::from_directory(guidance_dir);
  const Guidance& g = chosen ? *chosen : default_guidance();
  return to_json(recommend(*scoring, result, ctx, g), g, indent);
}

}  // namespace

void bind_irt(py::module_& m);  // irt.cpp

// The module in parts, one per concept, so each stays short.
void bind_instrument(py::module_& m) {
  py::class_<Instrument>(m, "Instrument")
      .def_static("load", &load_instrument, py::arg("id_or_path"))
      .def_static("from_json", &Instrument::from_json_text, py::arg("text"), py::arg("source_name") = "<memory>")
      .def_readonly("id", &Instrument::id)
      .def_readonly("version", &Instrument::version)
      .def_readonly("name", &Instrument::name)
      .def_readonly("short_name", &Instrument::short_name)
      .def_property_readonly("item_ids", [](const Instrument& i) {
        std::vector<std::string> v;
        for (const auto& it : i.items) v.push_back(it.id);
        return v;
      })
      .def_property_readonly("item_positions", [](const Instrument& i) {
        std::vector<int> v;
        for (const auto& it : i.items) v.push_back(it.position);
        return v;
      })
      .def_property_readonly("scale_ids", [](const Instrument& i) {
        std::vector<std::string> v;
        for (const auto& s : i.scales) v.push_back(s.id);
        return v;
      })
      .def_property_readonly("response_scale", [](const Instrument& i) {
        return std::make_pair(i.response_scale.min, i.response_scale.max);
      })
      .def("to_json", &Instrument::to_json)
      // Pickled as its normalized JSON, so an instrument (even a user's own file) can travel to Dask workers.
      .def(py::pickle([](const Instrument& i) { return py::make_tuple(i.to_json(), i.source); },
                      [](const py::tuple& t) {
                        return Instrument::from_json_text(t[0].cast<std::string>(), t[1].cast<std::string>());
                      }))
      .def("__repr__", [](const Instrument& i) { return "<attune.Instrument " + i.id + " " + i.version + ">"; });
}

void bind_scoring_plan(py::module_& m) {
  py::class_<ScoringPlan>(m, "ScoringPlan")
      .def(py::init(&make_plan), py::arg("instrument"), py::arg("profile_method") = "", py::arg("data_scale") = py::none(),
           py::arg("norms") = py::none(), py::arg("norms_label") = "", py::arg("norms_from_sample") = false)
      .def_property_readonly("instrument", &ScoringPlan::instrument)
      .def_property_readonly("method", [](const ScoringPlan& p) { return p.method().name; })
      .def_property_readonly("has_profile", &ScoringPlan::has_profile)
      .def_property_readonly("dimension_columns", [](const ScoringPlan& p) {
        const auto names = dimension_columns(p.instrument());
        return std::vector<std::string>(names.begin(), names.end());
      })
      .def_property_readonly("item_count", &ScoringPlan::item_count)
      .def_property_readonly("scale_count", &ScoringPlan::scale_count)
      .def_property_readonly("standardization", &ScoringPlan::standardization)
      .def("min_answered", [](const ScoringPlan& p, std::size_t s) { return p.instrument().scales.at(s).min_answered; })
      .def("members", [](const ScoringPlan& p, std::size_t s) {
        const Scale& sc = p.instrument().scales.at(s);
        return sc.derived() ? sc.terms.size() : sc.items.size();
      })
      .def("is_derived", [](const ScoringPlan& p, std::size_t s) { return p.instrument().scales.at(s).derived(); });
}

void bind_scoring(py::module_& m) {
  m.def("score_json", [](const ScoringPlan& plan, const std::string& text, int indent) {
    return to_json(plan, score(plan, responses_from_json(plan, text, "<answers>")), indent);
  }, py::arg("plan"), py::arg("answers_json"), py::arg("indent") = -1);
  m.def("score_answers", &score_answers, py::arg("plan"), py::arg("answers"), py::arg("indent") = -1);
  m.def("score_columns", &score_columns, py::arg("plan"), py::arg("columns"), py::arg("missing") = std::vector<double>{},
        py::arg("threads") = 0u);
  m.def("row_error", &row_error, py::arg("plan"), py::arg("row"));
  m.def("plan_json", &plan_json, py::arg("result_json"), py::arg("scoring_plan").none(true), py::arg("stage") = "",
        py::arg("parent") = py::none(), py::arg("partnered") = py::none(), py::arg("start") = "",
        py::arg("guidance_dir") = "", py::arg("indent") = -1);
  m.def("change_json", &change_json, py::arg("couple"), py::arg("first"), py::arg("second"), py::arg("options"), py::arg("guidance_dir"));
}

void bind_reliability(py::module_& m) {
  py::class_<SumsSet>(m, "ReliabilitySums")
      .def("merge", [](SumsSet& a, const SumsSet& b) {
        if (a.scales.size() != b.scales.size()) throw UsageError("reliability sums of different instruments");
        for (std::size_t i = 0; i < a.scales.size(); ++i) {
          if (a.scales[i].scale != b.scales[i].scale || a.scales[i].k() != b.scales[i].k()) {
            throw UsageError("reliability sums of different scales");
          }
          a.scales[i].merge(b.scales[i]);
        }
        return a;
      })
      .def_property_readonly("rows", [](const SumsSet& s) { return s.scales.empty() ? 0.0 : s.scales[0].rows; })
      .def(py::pickle([](const SumsSet& s) { return sums_state(s); }, [](const py::list& st) { return sums_from_state(st); }));
  m.def("reliability_sums", &reliability_sums, py::arg("plan"), py::arg("columns"), py::arg("missing") = std::vector<double>{});
  m.def("reliability_report", &reliability_report, py::arg("plan"), py::arg("sums"), py::arg("missing") = "pairwise",
        py::arg("miskey_below") = 0.0, py::arg("ci_level") = 0.95);
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "attune's compiled core (private: use the `attune` package)";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      raise_attune_error(e);
    }
  });

  attune::python::add_irt_partition(m);
  bind_irt(m);
  m.def("version", [] { return std::string(version()); });
  m.def("disclaimer", [] { return std::string(disclaimer()); });
  m.def("list_instruments", &builtin_instrument_ids);
  m.def("category_name", [](int c) { return std::string(to_string(static_cast<Category>(c))); });

  bind_instrument(m);
  bind_scoring_plan(m);
  bind_scoring(m);
  bind_reliability(m);
  register_quality(m);
  register_norms(m);
  register_audit(m);
  register_job(m);
}
