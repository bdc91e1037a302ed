// Scoring one person: from already-parsed answers, and JSON in to JSON out; and the plan for them
// (recommend + the plan's JSON), the native figure beside bindings/wasm/bench.js.
// Run: ./build/bench/bench_score_one  (prints nanoseconds per call)
#include <attune/attune.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

template <class F>
double ns_per_call(F&& f, int iterations) {
  for (int i = 0; i < iterations / 10; ++i) f();  // warm up
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) f();
  auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / iterations;
}

int main(int argc, char** argv) {
  const std::string id = argc > 1 ? argv[1] : "ecr-r";
  attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument(id));
  std::vector<double> answers(plan.item_count());
  for (std::size_t i = 0; i < answers.size(); ++i) answers[i] = 1 + static_cast<double>((i * 7) % 7);
  volatile double sink = 0;
  double parsed = ns_per_call([&] {
    attune::Result r = attune::score(plan, answers.data());
    sink = sink + r.scales[0].raw;
  }, 200000);
  std::string json = "{";
  for (std::size_t i = 0; i < answers.size(); ++i) {
    json += (i ? "," : "") + std::string("\"") + plan.instrument().items[i].id + "\":" + std::to_string(static_cast<int>(answers[i]));
  }
  json += "}";
  double json_ns = ns_per_call([&] {
    attune::Responses r = attune::responses_from_json(plan, json, "bench");
    std::string out = attune::to_json(plan, attune::score(plan, r), -1);
    sink = sink + static_cast<double>(out.size());
  }, 20000);
  const attune::Guidance guidance = attune::Guidance::load("en");
  const attune::Result scored = attune::score(plan, answers.data());
  double recommend_ns = ns_per_call([&] {
    const attune::Plan p = attune::recommend(plan, scored, attune::Context{}, guidance);
    sink = sink + static_cast<double>(p.focus.size());
  }, 2000);
  const attune::Plan one_plan = attune::recommend(plan, scored, attune::Context{}, guidance);
  double plan_json_ns = ns_per_call([&] {
    sink = sink + static_cast<double>(attune::to_json(one_plan, guidance, -1).size());
  }, 2000);
  std::printf("instrument %s\n", id.c_str());
  std::printf("score one person, parsed answers: %.0f ns/call (target < 1000)\n", parsed);
  std::printf("score one person, JSON in -> JSON out: %.0f ns/call (target < 20000)\n", json_ns);
  std::printf("plan for one person: recommend %.0f ns/call + plan JSON %.0f ns/call (wasm target: both < 1000000)\n",
              recommend_ns, plan_json_ns);
  return 0;
}
