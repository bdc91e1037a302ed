// `attune cat simulate`: the adaptive test (attune/cat.hpp) run for every respondent of a data file
// with their own recorded answers, compared with the theta from all their answers. The CAT runs on
// the batch pipeline's worker threads, inside an accumulator, one chunk of rows per thread.
#include "cat_options.hpp"
#include "commands.hpp"
#include "../stats/byte_accumulator.hpp"
#include "options.hpp"

#include <attune/cat.hpp>
#include <attune/irt.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

namespace attune::cli {

namespace {

struct SimulateArgs {
  DataArgs data;
  CatRuleArgs rules;
  std::string calibration;
  std::string format = "text";
};

struct DimensionSums {
  std::vector<std::uint64_t> items;  // histogram: rows that were asked k items of the scale
  std::uint64_t reached = 0;         // rows whose adaptive SE ended below the target
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, sse = 0, se = 0;
  void add(double cat, double full, double se_cat, int asked, double target) {
    ++items[static_cast<std::size_t>(asked)];
    reached += se_cat < target;
    sx += cat, sy += full, sxx += cat * cat, syy += full * full, sxy += cat * full;
    sse += (cat - full) * (cat - full);
    se += se_cat;
  }
  void merge(const DimensionSums& o) {
    for (std::size_t k = 0; k < items.size(); ++k) items[k] += o.items[k];
    reached += o.reached;
    sx += o.sx, sy += o.sy, sxx += o.sxx, syy += o.syy, sxy += o.sxy, sse += o.sse, se += o.se;
  }
};

struct Shared {
  irt::CatEngine engine;
  irt::CatRules rules;
  std::vector<int> bank_of;  // plan item -> bank index (-1: not in the bank)
};

// Per chunk: the CAT for each row (answers from the row as the test asks), then the full-length
// theta from every recorded answer. Scratch buffers are the accumulator's: no allocation per row.
class CatSimulation : public attune::detail::InternalAccumulator {
 public:
  explicit CatSimulation(std::shared_ptr<const Shared> s) : s_(std::move(s)) {
    dims.resize(s_->engine.dimension_count());
    for (DimensionSums& d : dims) d.items.assign(s_->engine.item_count() + 1, 0);
    row_.assign(s_->engine.item_count(), std::numeric_limits<double>::quiet_NaN());
  }
  std::unique_ptr<ChunkAccumulator> fresh() const override { return std::make_unique<CatSimulation>(s_); }
  bool reads_scores() const override { return false; }
  void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
           const BlockScores&) override {
    for (std::size_t r = 0; r < rows; ++r) {
      if (scored[r]) one_row(answers + r * items, items);
    }
  }
  void merge(ChunkAccumulator& chunk) override {
    auto& c = static_cast<CatSimulation&>(chunk);
    for (std::size_t d = 0; d < dims.size(); ++d) dims[d].merge(c.dims[d]);
    agree += c.agree, rows += c.rows, total_items += c.total_items;
  }
  std::vector<DimensionSums> dims;
  std::uint64_t agree = 0, rows = 0, total_items = 0;

 private:
  void one_row(const double* answers, std::size_t items) {
    std::fill(row_.begin(), row_.end(), std::numeric_limits<double>::quiet_NaN());
    asked_.clear();
    for (std::size_t j = 0; j < items; ++j) {
      const int b = s_->bank_of[j];
      if (b < 0) continue;
      row_[static_cast<std::size_t>(b)] = answers[j];
      if (!std::isnan(answers[j])) asked_.push_back({b, answers[j]});
    }
    s_->engine.step(asked_.data(), asked_.size(), s_->rules, full_);
    asked_.clear();
    for (;;) {
      s_->engine.step(asked_.data(), asked_.size(), s_->rules, cat_);
      if (cat_.stop) break;
      asked_.push_back({cat_.next_item, row_[static_cast<std::size_t>(cat_.next_item)]});
    }
    bool same = true;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const irt::CatDimension& c = cat_.dimensions[d];
      dims[d].add(c.theta, full_.dimensions[d].theta, c.se, c.asked, s_->rules.se_target);
      same = same && ((c.theta >= 0) == (full_.dimensions[d].theta >= 0));
    }
    agree += same;
    ++rows;
    total_items += asked_.size();
  }
  std::shared_ptr<const Shared> s_;
  std::vector<double> row_;
  std::vector<irt::CatAnswer> asked_;
  irt::CatResult full_, cat_;
};

double median_of(const std::vector<std::uint64_t>& hist, std::uint64_t n) {
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  auto at = [&hist](std::uint64_t rank) {  // the value of the rank-th smallest (0-based)
    std::uint64_t seen = 0;
    for (std::size_t k = 0; k < hist.size(); ++k) {
      seen += hist[k];
      if (seen > rank) return static_cast<double>(k);
    }
    return static_cast<double>(hist.size() - 1);
  };
  return n % 2 ? at(n / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

nlohmann::ordered_json dimension_json(const DimensionSums& d, std::uint64_t n) {
  const double N = static_cast<double>(n);
  double items = 0;
  for (std::size_t k = 0; k < d.items.size(); ++k) items += static_cast<double>(k * d.items[k]);
  const double cov = d.sxy / N - (d.sx / N) * (d.sy / N);
  const double vx = d.sxx / N - (d.sx / N) * (d.sx / N), vy = d.syy / N - (d.sy / N) * (d.sy / N);
  return {{"mean_items", items / N},
          {"median_items", median_of(d.items, n)},
          {"share_reached_se", static_cast<double>(d.reached) / N},
          {"r_full", cov / std::sqrt(vx * vy)},
          {"rmse", std::sqrt(d.sse / N)},
          {"mean_se", d.se / N}};
}

nlohmann::ordered_json report_json(const CatSimulation& sim, const Shared& s, const std::string& calibration) {
  nlohmann::ordered_json scales = nlohmann::ordered_json::object();
  for (std::size_t d = 0; d < sim.dims.size(); ++d) scales[s.engine.dimension_id(d)] = dimension_json(sim.dims[d], sim.rows);
  const double N = static_cast<double>(sim.rows);
  return {{"scales", scales},
          {"category_agreement", static_cast<double>(sim.agree) / N},
          {"category_rule", "high/low on every scale at theta 0 (the calibration sample's middle), adaptive vs all answers"},
          {"rows", sim.rows},
          {"mean_items_total", static_cast<double>(sim.total_items) / N},
          {"rules", nlohmann::ordered_json::parse(cat_rules_json(s.rules))},
          {"calibration", calibration},
          {"note", "theta describes answers relative to the calibration sample; it is not a diagnosis"}};
}

void print_text(const nlohmann::ordered_json& j) {
  std::printf("Adaptive test simulated on %llu rows (SE target %.2f, %d to %d items per scale)\n",
              static_cast<unsigned long long>(j["rows"].get<std::uint64_t>()), j["rules"]["se_target"].get<double>(),
              j["rules"]["min_items"].get<int>(), j["rules"]["max_items"].get<int>());
  std::printf("%-14s %10s %8s %12s %8s %8s\n", "scale", "mean items", "median", "reached SE", "r full", "RMSE");
  for (auto it = j["scales"].begin(); it != j["scales"].end(); ++it) {
    const auto& d = it.value();
    std::printf("%-14s %10.2f %8.1f %12.3f %8.3f %8.3f\n", it.key().c_str(), d["mean_items"].get<double>(),
                d["median_items"].get<double>(), d["share_reached_se"].get<double>(), d["r_full"].get<double>(),
                d["rmse"].get<double>());
  }
  std::printf("Category agreement (high/low on every scale at theta 0): %.3f\n", j["category_agreement"].get<double>());
  std::printf("Mean items in all: %.2f\n", j["mean_items_total"].get<double>());
}

std::shared_ptr<Shared> make_shared_state(const ScoringPlan& plan, const irt::Calibration& c, const irt::CatRules& rules,
                                          const std::string& calibration) {
  if (c.provenance.instrument_id != plan.instrument().id) {
    throw UsageError("the calibration is for instrument '" + c.provenance.instrument_id + "', not '" + plan.instrument().id + "'",
                     Location::in_file(calibration), "a calibration of the instrument being read");
  }
  if (!(plan.data_scale() == c.response_scale)) {
    throw UsageError("the calibration was made on answers from " + std::to_string(c.response_scale.min) + " to " +
                         std::to_string(c.response_scale.max) + ", but these answers are on " +
                         std::to_string(plan.data_scale().min) + ".." + std::to_string(plan.data_scale().max),
                     Location::in_file(calibration), "answers on the calibration's response scale");
  }
  auto s = std::make_shared<Shared>(Shared{irt::CatEngine(c), rules, {}});
  for (const Item& item : plan.instrument().items) s->bank_of.push_back(s->engine.item_index(item.id));
  return s;
}

int run(const SimulateArgs& a) {
  if (a.format != "text" && a.format != "json") throw UsageError("unknown --format '" + a.format + "'", Location{}, "text or json");
  const irt::CatRules rules = a.rules.rules();
  claim_data_inputs(a.data);
  const ScoringPlan plan = make_plan(a.data);
  const irt::Calibration c = irt::load_calibration(a.calibration);
  std::shared_ptr<Shared> shared = make_shared_state(plan, c, rules, a.calibration);
  BatchOptions bo = batch_options(a.data);
  CatSimulation sim(shared);
  bo.accumulators = {&sim};
  std::unique_ptr<ErrorSink> errors;
  BatchSummary s = accumulate_data(plan, a.data, bo, errors, nullptr);
  errors->flush();
  errors->commit();
  if (sim.rows == 0) throw DataError("no row could be used for the simulation", Location::in_file(a.data.input), "at least one scored row");
  const nlohmann::ordered_json j = report_json(sim, *shared, a.calibration);
  if (a.format == "json") {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    print_text(j);
  }
  if (std::fflush(stdout) != 0) throw IoError("cannot write the report", Location::in_file("standard output"));
  return s.rows_reported ? Exit::rows_reported : Exit::ok;
}

}  // namespace

Runner add_cat(CLI::App& app) {
  CLI::App* cat = app.add_subcommand("cat", "Adaptive testing (computerized adaptive test over a calibration's item bank)");
  cat->require_subcommand(1);
  auto a = std::make_shared<SimulateArgs>();
  CLI::App* c = cat->add_subcommand("simulate", "Run the adaptive test for every row of a data file with its recorded answers and compare with the full-length theta");
  add_data_options(c, a->data);
  c->add_option("--calibration", a->calibration, "Calibration file or the id of a shipped one (the item bank)")->required();
  add_cat_rule_options(c, a->rules);
  c->add_option("--format", a->format, "text (default) or json");
  c->footer(
      "Per scale: mean and median items asked, the share whose SE ended below the target, correlation\n"
      "and RMSE with the theta from all the row's answers; and how often the high/low pattern at theta 0\n"
      "agrees. An item the row did not answer counts as asked and skipped. Rules and formulas: docs/cat.md.\n"
      "Exit codes: 0 ok; 1 some rows reported as errors (not used); 2 usage; 3 invalid instrument;\n"
      "4 invalid data; 5 I/O; 7 a limit was exceeded.");
  return [a] { return run(*a); };
}

}  // namespace attune::cli
