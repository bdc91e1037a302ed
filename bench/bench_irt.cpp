// One person's theta and SE from parsed answers with a shipped calibration (EAP over 61 nodes), and
// calibrating one 18-item ECR scale on the complete rows of the shared open data when it is there.
// Run: ./build/bench/bench_irt [CALIBRATION.json [DATA.csv]]   (targets: < 5000 ns; <= 5 s)
#include <attune/attune.hpp>
#include <attune/irt.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// The avoidance items (odd columns Q1..Q35) of the rows that answered all 36 items (0 = not answered).
std::vector<double> avoidance_rows(const std::string& path, std::size_t& rows) {
  std::ifstream in(path);
  std::string line;
  std::vector<double> out;
  rows = 0;
  if (!in || !std::getline(in, line)) return out;
  while (std::getline(in, line)) {
    std::stringstream cells(line);
    std::string cell;
    std::vector<double> row;
    for (int q = 1; q <= 36 && std::getline(cells, cell, ','); ++q) row.push_back(std::stod(cell));
    bool complete = row.size() == 36;
    for (double v : row) complete = complete && v > 0;
    if (!complete) continue;
    for (int q = 1; q <= 36; q += 2) out.push_back(row[q - 1]);
    ++rows;
  }
  return out;
}

void bench_calibration(const attune::irt::Calibration& c, const std::string& data) {
  std::size_t rows = 0;
  const std::vector<double> answers = avoidance_rows(data, rows);
  if (rows == 0) {
    std::printf("calibration: %s not found, skipped\n", data.c_str());
    return;
  }
  std::vector<attune::irt::ItemParameters> start = c.find_scale("avoidance")->items;
  const auto t0 = std::chrono::steady_clock::now();
  const attune::irt::ScaleCalibration s =
      attune::irt::calibrate_scale(start, c.response_scale, answers.data(), rows, 18, attune::irt::CalibrationOptions{});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("calibrate avoidance (18 items) on %zu rows: %.2f s, %d EM cycles, SEs and S-X2 included (target <= 5 s)\n",
              rows, seconds, s.iterations);
}

}  // namespace

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
  bench_calibration(c, argc > 2 ? argv[2] : std::string(ATTUNE_BENCH_SOURCE_DIR) + "/../shared/data/ecr-openpsychometrics/data.csv");
  return 0;
}
