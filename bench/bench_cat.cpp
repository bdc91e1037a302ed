// One adaptive-test step (EAP on both scales, the stop rules, maximum information over the items
// left) with the shipped ECR calibration, at every point of a whole test for a few answer vectors
// from the NumPy reference's cases. Run: ./build/bench/bench_cat [CALIBRATION.json]   (target <= 20 us)
#include <attune/cat.hpp>
#include <attune/irt.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using namespace attune::irt;
  const std::string path =
      argc > 1 ? argv[1] : std::string(ATTUNE_BENCH_SOURCE_DIR) + "/instruments/calibrations/ecr-openpsychometrics-1to5.json";
  const CatEngine e(Calibration::from_file(path));
  const CatRules rules = CatRules::promis();
  // Answer vectors in bank order: a middling one, an extreme one and a mixed one.
  std::vector<std::vector<double>> people;
  for (int p = 0; p < 3; ++p) {
    std::vector<double> v(e.item_count());
    for (std::size_t j = 0; j < v.size(); ++j) v[j] = p == 0 ? 3 : p == 1 ? 5 : 1 + static_cast<double>((j * 7 + 3) % 5);
    people.push_back(v);
  }
  // The answer lists at every step of each person's test, replayed many times.
  std::vector<std::vector<CatAnswer>> states;
  CatResult r;
  for (const auto& v : people) {
    std::vector<CatAnswer> answers;
    for (;;) {
      states.push_back(answers);
      e.step(answers.data(), answers.size(), rules, r);
      if (r.stop) break;
      answers.push_back({r.next_item, v[static_cast<std::size_t>(r.next_item)]});
    }
  }
  const int rounds = 20000;
  double sink = 0;
  // CPU time as well as wall time: on a shared machine the wall clock also counts other people's work.
  const std::clock_t c0 = std::clock();
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k < rounds; ++k) {
    for (const auto& s : states) {
      e.step(s.data(), s.size(), rules, r);
      sink += r.dimensions[0].theta;
    }
  }
  const double steps = static_cast<double>(rounds) * static_cast<double>(states.size());
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / steps;
  const double cpu_ns = static_cast<double>(std::clock() - c0) * 1e9 / CLOCKS_PER_SEC / steps;
  std::size_t longest = 0;
  for (const auto& s : states) longest = std::max(longest, s.size());
  std::printf("cat step (ECR bank, 36 items, 61 nodes; mean over %zu test states, 0 to %zu answers): %.0f ns wall, %.0f ns CPU "
              "(target <= 20000 ns)%s\n",
              states.size(), longest, ns, cpu_ns, std::isnan(sink) ? " " : "");
  return 0;
}
