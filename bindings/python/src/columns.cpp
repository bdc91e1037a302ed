// The shared readings of attune._core's input columns (columns.hpp).
#include "columns.hpp"

#include <cmath>

namespace attune_py {

std::vector<Column> item_columns_of(const attune::ScoringPlan& plan, const py::list& cols, std::size_t& rows,
                                    std::vector<py::array>& keep) {
  std::vector<Column> in = columns_of(cols, rows, keep);
  if (in.size() != plan.item_count()) {
    throw attune::UsageError(std::to_string(in.size()) + " columns for " + std::to_string(plan.item_count()) + " items", {},
                             "one column per item, in the instrument's item order");
  }
  return in;
}

void accumulate_columns(const attune::ScoringPlan& plan, const py::list& cols, const std::vector<double>& missing,
                        const std::vector<attune::ChunkAccumulator*>& accumulators) {
  std::size_t rows = 0;
  std::vector<py::array> keep;
  const std::vector<Column> in = item_columns_of(plan, cols, rows, keep);
  const std::size_t K = plan.item_count();
  py::gil_scoped_release nogil;
  constexpr std::size_t kSlice = 8192;
  std::vector<double> x;
  std::vector<std::uint8_t> scored;
  attune::BlockScores bs;
  for (std::size_t b = 0; b < rows; b += kSlice) {
    const std::size_t n = std::min(kSlice, rows - b);
    x.resize(n * K);
    gather(in, b, n, missing, x.data());
    attune::score_block(plan, x.data(), n, bs);
    scored.assign(n, 1);
    for (std::size_t r = 0; r < n; ++r) {
      if (bs.bad_item[r] >= 0) {
        scored[r] = 0;
        std::fill_n(x.data() + r * K, K, kNaN);
      }
    }
    for (attune::ChunkAccumulator* acc : accumulators) acc->add(x.data(), n, K, scored.data(), bs);
  }
}

}  // namespace attune_py
