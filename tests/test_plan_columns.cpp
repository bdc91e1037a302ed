// `attune score --plan-columns`: the batch writer's per-row hook (RowColumns) and PlanColumns.
// The reference for every row is the independent single-person path: the row's answers through
// attune::score() and attune::recommend(), whose focus ids, care flag and mode the columns must
// repeat. The batch path reaches the same rules through other code (the block kernel, numbers read
// from the block, ids without a Result), so a wrong index, a stale buffer between rows, a column out
// of place or a thread-order mistake shows up as a mismatch.
#include <attune/attune.hpp>
#include <attune/guidance.hpp>
#include <attune/plan_columns.hpp>

#include "support/helpers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <sstream>
#include "../src/batch/tuning.hpp"

using namespace attune;
using attune_test::BatchRun;
using attune_test::run_batch_text;

// Counts heap allocations made on a thread while `g_count_allocs` is set there (the no-allocation
// check below). Replacing the global operator new is allowed once per program; this is the only one
// in the test binary, and it only counts. Every plain and nothrow form of new and delete is replaced
// (malloc / free), so sanitizers that check matching allocation calls see consistent pairs; the
// over-aligned forms are left alone and stay paired with each other. Not inlined: inlined, the
// compiler would pair malloc with a library operator delete at some call sites and warn.
namespace {
thread_local bool g_count_allocs = false;
std::atomic<long> g_allocs{0};
}  // namespace

[[gnu::noinline]] void* operator new(std::size_t n) {
  if (g_count_allocs) ++g_allocs;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t n) {
  if (g_count_allocs) ++g_allocs;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (g_count_allocs) ++g_allocs;
  return std::malloc(n ? n : 1);
}
[[gnu::noinline]] void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  if (g_count_allocs) ++g_allocs;
  return std::malloc(n ? n : 1);
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

const Guidance& en_pack() {
  static Guidance g = Guidance::from_directory(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en");
  return g;
}

// A small deterministic generator (the C++ distributions differ between standard libraries).
struct Rng {
  std::uint64_t s;
  explicit Rng(std::uint64_t seed) : s(seed * 2862933555777941757ULL + 3037000493ULL) {}
  std::uint32_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return static_cast<std::uint32_t>(s >> 11);
  }
  int in(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint32_t>(hi - lo + 1)); }
  double unit() { return (next() % 1000000) / 1e6; }
};

// Rows of answers in five styles, so that every plan mode and the care rule turn up: uniform, a
// personal level with spread, the two ends only, a tight personal level, and mostly unanswered.
// Every 37th row has an out-of-range answer (an error row). Empty string = not answered.
struct Data {
  std::string csv;
  std::vector<std::vector<std::string>> answers;  // per row, by item position
  std::vector<bool> bad;
};

Data make_data(const ScoringPlan& plan, int rows, std::uint64_t seed) {
  const auto& ins = plan.instrument();
  const int lo = ins.response_scale.min, hi = ins.response_scale.max;
  const std::size_t items = plan.item_count();
  Rng rng(seed);
  Data d;
  d.csv = "id";
  for (std::size_t i = 1; i <= items; ++i) d.csv += ",c" + std::to_string(i);
  d.csv += "\n";
  for (int r = 0; r < rows; ++r) {
    const int style = r % 5;
    const double level = lo + (hi - lo) * rng.unit();
    std::vector<std::string> row;
    for (std::size_t i = 0; i < items; ++i) {
      int v = 0;
      bool missing = false;
      switch (style) {
        case 0: v = rng.in(lo, hi); break;
        case 1: v = static_cast<int>(std::lround(std::min<double>(hi, std::max<double>(lo, level + 4 * rng.unit() - 2)))); break;
        case 2: v = rng.in(0, 1) ? hi : lo; break;
        case 3: v = static_cast<int>(std::lround(std::min<double>(hi, std::max<double>(lo, level + 1.6 * rng.unit() - 0.8)))); break;
        default: v = rng.in(lo, hi); missing = rng.unit() < 0.75; break;
      }
      if (rng.unit() < 0.04) missing = true;
      row.push_back(missing ? std::string() : std::to_string(v));
    }
    const bool bad = r % 37 == 36;
    if (bad) row[static_cast<std::size_t>(r) % items] = std::to_string(hi + 3);
    d.csv += "r" + std::to_string(r);
    for (const auto& c : row) d.csv += "," + c;
    d.csv += "\n";
    d.answers.push_back(row);
    d.bad.push_back(bad);
  }
  return d;
}

BatchOptions positional() {
  BatchOptions o;
  o.mapping = ColumnMapping::parse("c{n}");
  return o;
}

// The reference: one person through score() and recommend().
Plan reference_plan(const ScoringPlan& plan, const std::vector<std::string>& row, const Context& ctx) {
  Responses resp(plan);
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!row[i].empty()) resp.set_position(static_cast<int>(i + 1), std::stod(row[i]));
  }
  return recommend(plan, score(plan, resp), ctx, en_pack());
}

struct Tally {
  int pattern = 0, mix = 0, unavailable = 0, care = 0, errors = 0;
};

// Scores `d` with plan columns and checks every row against the reference; returns what it saw.
Tally check_against_recommend(const ScoringPlan& plan, const Data& d, const Context& ctx, int steps, BatchOptions o) {
  PlanColumns cols(plan, en_pack(), ctx, steps);
  o.extra_columns = &cols;
  BatchRun run = run_batch_text(plan, d.csv, o);
  const auto t = attune_test::read_table_text(run.output);
  REQUIRE(t.rows.size() == d.answers.size());
  REQUIRE(run.summary.rows_in == run.summary.rows_scored + run.summary.rows_reported);
  const int mode_col = t.col("plan_mode"), help_col = t.col("plan_more_help");
  // The plan columns sit just before notes, in this order.
  REQUIRE(t.col("notes") == mode_col + 2 + steps);
  Tally seen;
  for (std::size_t r = 0; r < d.answers.size(); ++r) {
    const auto& row = t.rows[r];
    INFO("row " << r << " (" << row[0] << ")");
    REQUIRE(row.size() == t.header.size());
    CHECK(row[0] == "r" + std::to_string(r));  // input order
    if (d.bad[r]) {
      ++seen.errors;
      for (int k = mode_col; k < mode_col + 2 + steps; ++k) CHECK(row[static_cast<std::size_t>(k)].empty());
      continue;
    }
    const Plan p = reference_plan(plan, d.answers[r], ctx);
    CHECK(row[static_cast<std::size_t>(mode_col)] == p.mode);
    CHECK(row[static_cast<std::size_t>(help_col)] == (p.care ? "1" : "0"));
    for (int k = 0; k < steps; ++k) {
      const std::string want = static_cast<std::size_t>(k) < p.focus.size() ? p.focus[static_cast<std::size_t>(k)].id : std::string();
      CHECK(row[static_cast<std::size_t>(help_col + 1 + k)] == want);
    }
    seen.pattern += p.mode == "pattern";
    seen.mix += p.mode == "mix";
    seen.unavailable += p.mode == "unavailable";
    seen.care += p.care;
  }
  CHECK(static_cast<int>(run.summary.rows_reported) == seen.errors);
  return seen;
}

}  // namespace

TEST_CASE("plan columns: each row's focus equals recommend() for the same answers") {
  struct Case {
    const char* instrument;
    const char* method;
    bool norms;
  };
  // Two-dimension instruments on both response scales, the classifier (known confidence), a
  // prototype instrument, and user norms (the care rule then reads z, not scale points).
  const Case cases[] = {{"ecr-r", "", false}, {"ecr", "brennan1998", false}, {"rq", "", false},
                        {"raas", "", false},  {"ecr-s", "", false},          {"ecr-r", "", true}};
  std::vector<Context> contexts(4);
  contexts[1].stage = "dating";
  contexts[2].stage = "parenting";
  contexts[2].parent = true;
  contexts[3].partnered = false;  // stage "single"
  Tally all;
  std::uint64_t seed = 1;
  for (const auto& c : cases) {
    ScoringOptions so;
    so.profile_method = c.method;
    if (c.norms) {
      // Test norms (not published values): a centre below the midpoint makes high z common.
      so.norms_source = NormsSource::user;
      so.norms["anxiety"] = Norm{3.2, 1.0};
      so.norms["avoidance"] = Norm{2.8, 0.9};
    }
    const ScoringPlan plan = ScoringPlan::compile(load_instrument(c.instrument), so);
    const Data d = make_data(plan, 150, seed++);
    for (std::size_t k = 0; k < contexts.size(); ++k) {
      INFO(c.instrument << " " << c.method << (c.norms ? " with norms" : "") << ", context " << k);
      const Tally t = check_against_recommend(plan, d, contexts[k], PlanColumns::max_steps(en_pack()), positional());
      all.pattern += t.pattern;
      all.mix += t.mix;
      all.unavailable += t.unavailable;
      all.care += t.care;
      all.errors += t.errors;
    }
  }
  // The data reached every mode, the care rule and error rows (else the comparison proves little).
  CHECK(all.pattern > 50);
  CHECK(all.mix > 50);
  CHECK(all.unavailable > 20);
  CHECK(all.care > 20);
  CHECK(all.errors > 20);
}

TEST_CASE("plan columns: fewer columns than steps keep the first ones, JSON Lines carries the same values") {
  const ScoringPlan plan = attune_test::plan_for("ecr-r");
  const Data d = make_data(plan, 120, 99);
  Context ctx;
  ctx.stage = "long_term";
  check_against_recommend(plan, d, ctx, 2, positional());

  PlanColumns cols(plan, en_pack(), ctx, 2);
  BatchOptions o = positional();
  o.extra_columns = &cols;
  const auto csv = attune_test::read_table_text(run_batch_text(plan, d.csv, o).output);
  o.format = OutputFormat::jsonl;
  std::istringstream lines(run_batch_text(plan, d.csv, o).output);
  std::string line;
  std::size_t r = 0;
  for (; std::getline(lines, line); ++r) {
    INFO("row " << r);
    REQUIRE(r < csv.rows.size());
    const auto j = nlohmann::json::parse(line);
    const auto& row = csv.rows[r];
    for (const char* name : {"plan_mode", "plan_1", "plan_2"}) {
      const std::string cell = row[static_cast<std::size_t>(csv.col(name))];
      if (cell.empty()) CHECK(j[name].is_null());
      else CHECK(j[name] == cell);
    }
    // plan_more_help is a number in JSON Lines (null on an error row).
    const std::string help = row[static_cast<std::size_t>(csv.col("plan_more_help"))];
    if (help.empty()) CHECK(j["plan_more_help"].is_null());
    else CHECK(j["plan_more_help"] == std::stoi(help));
    CHECK_FALSE(j.contains("plan_3"));
  }
  CHECK(r == csv.rows.size());
}

TEST_CASE("plan columns: the output does not depend on threads or chunk size") {
  const ScoringPlan plan = attune_test::plan_for("ecr-r");
  const Data d = make_data(plan, 400, 7);
  Context ctx;
  ctx.stage = "separating";
  PlanColumns cols(plan, en_pack(), ctx, 3);
  BatchOptions one = positional();
  one.extra_columns = &cols;
  one.threads = 1;
  const std::string base = run_batch_text(plan, d.csv, one).output;
  for (unsigned threads : {2u, 4u}) {
    for (std::size_t chunk : {std::size_t{512}, std::size_t{4096}}) {
      BatchOptions many = one;
      many.threads = threads;
      attune::batch::set_chunk_bytes(many, chunk);
      INFO(threads << " threads, chunks of " << chunk << " bytes");
      CHECK(run_batch_text(plan, d.csv, many).output == base);
    }
  }
}

TEST_CASE("plan columns: no allocation per row once a worker's buffers have grown") {
  const ScoringPlan plan = attune_test::plan_for("ecr-r");
  const Data d = make_data(plan, 200, 3);
  std::vector<double> x;
  for (const auto& row : d.answers) {
    for (const auto& c : row) x.push_back(c.empty() ? std::nan("") : std::min(7.0, std::stod(c)));
  }
  BlockScores b;
  score_block(plan, x.data(), d.answers.size(), b);
  Context ctx;
  ctx.stage = "dating";
  PlanColumns proto(plan, en_pack(), ctx, 5);
  auto cols = proto.fresh();
  std::vector<RowCell> cells(proto.names().size());
  // Warm-up: the buffers grow to their largest size (a few rules), then stay.
  for (std::size_t r = 0; r < d.answers.size(); ++r) cols->cells(b, r, true, cells.data());
  int mixed = 0;
  g_allocs = 0;
  g_count_allocs = true;
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t r = 0; r < d.answers.size(); ++r) {
      cols->cells(b, r, true, cells.data());
      mixed += cells[0].text == "mix";
    }
  }
  g_count_allocs = false;
  CHECK(g_allocs.load() == 0);
  CHECK(mixed > 0);  // the "between patterns" path, the one with extra buffers, ran
}

TEST_CASE("plan columns: bad settings are refused before any output") {
  const ScoringPlan plan = attune_test::plan_for("ecr-r");
  const int most = PlanColumns::max_steps(en_pack());
  CHECK(most == 5);  // rules.json: up to 3 roadmap steps and 2 self-help strategies
  CHECK_THROWS_AS(PlanColumns(plan, en_pack(), Context{}, 0), UsageError);
  CHECK_THROWS_AS(PlanColumns(plan, en_pack(), Context{}, most + 1), UsageError);
  Context unknown;
  unknown.stage = "engaged";
  CHECK_THROWS_AS(PlanColumns(plan, en_pack(), unknown, 3), UsageError);
  Context contradiction;
  contradiction.stage = "long_term";
  contradiction.partnered = false;
  CHECK_THROWS_AS(PlanColumns(plan, en_pack(), contradiction, 3), UsageError);
  PlanColumns ok(plan, en_pack(), Context{}, 3);
  CHECK(ok.names() == std::vector<std::string>{"plan_mode", "plan_more_help", "plan_1", "plan_2", "plan_3"});
  BatchOptions o;
  o.extra_columns = &ok;
  const auto cols = output_columns(plan, o, {"id"});
  REQUIRE(cols.size() >= 6);
  CHECK(cols.back() == "notes");
  CHECK(cols[cols.size() - 2] == "plan_3");
  CHECK(cols[cols.size() - 6] == "plan_mode");
}
