// One person's theta and SE from parsed answers with a shipped calibration (EAP over 61 nodes).
// Run: ./build/bench/bench_irt [CALIBRATION.json]   (prints nanoseconds per call; target < 5000)
#include <attune/attune.hpp>
#include <attune/irt.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const std::string path =
      argc > 1 ? argv[1] : std::string(ATTUNE_BENCH_SOURCE_DIR) + "/instruments/calibrations/ecr-openpsychometrics-1to5.json";
  const attune::irt::Calibration c = attune::irt::Calibration::from_file(path);
  const attune::Instrument ecr = attune::load_instrument(c.provenance.instrument_id);
  std::vector<std::string> ids;
  for (const auto& item : ecr.items) ids.push_back(item.id);
  const attune::irt::ThetaScorer scorer(c, ids, c.response_scale);
  std::vector<double> answers(ids.size());
  for (std::size_t i = 0; i < answers.size(); ++i) answers[i] = 1 + static_cast<double>((i * 3) % 5);
  volatile double sink = 0;
  const int n = 200000;
  for (int i = 0; i < n / 10; ++i) sink = sink + scorer.eap(0, answers.data()).theta;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    answers[i % answers.size()] = 1 + (i % 5);  // a different person each call
    sink = sink + scorer.eap(i & 1, answers.data()).se;
  }
  const auto t1 = std::chrono::steady_clock::now();
  const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
  std::printf("theta + SE (EAP, %d nodes) for one %zu-item scale from parsed answers: %.0f ns/call (target < 5000)\n",
              c.grid.nodes, c.scales[0].items.size(), ns);
  return 0;
}
