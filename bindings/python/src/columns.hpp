#pragma once
// Input columns of the Python module: strided float64/int64 views owned by numpy arrays, gathered
// into row-major blocks for the kernel; shared by the scoring, reliability, quality and audit calls.
#include <attune/attune.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <thread>
#include <vector>

namespace attune_py {

namespace py = pybind11;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One input column: a strided view of float64 or int64 values owned by a numpy array.
struct Column {
  const char* data = nullptr;
  py::ssize_t stride = 0;
  bool is_int = false;
};

inline std::vector<Column> columns_of(const py::list& cols, std::size_t& rows, std::vector<py::array>& keep) {
  std::vector<Column> out;
  bool first = true;
  for (py::handle h : cols) {
    py::array a = py::reinterpret_borrow<py::array>(h);
    if (a.ndim() != 1) throw attune::UsageError("each column must be one-dimensional");
    Column c;
    if (a.dtype().is(py::dtype::of<double>())) c.is_int = false;
    else if (a.dtype().is(py::dtype::of<std::int64_t>())) c.is_int = true;
    else throw attune::UsageError("column dtype " + py::str(a.dtype()).cast<std::string>() + " is not supported", {}, "float64 or int64");
    c.data = static_cast<const char*>(a.data());
    c.stride = a.strides(0);
    const auto n = static_cast<std::size_t>(a.shape(0));
    if (first) rows = n;
    else if (n != rows) throw attune::UsageError("columns differ in length");
    first = false;
    keep.push_back(a);
    out.push_back(c);
  }
  return out;
}

// Gathers rows [begin, begin + n) into a row-major block, mapping declared missing codes to NaN.
inline void gather(const std::vector<Column>& cols, std::size_t begin, std::size_t n, const std::vector<double>& missing,
                   double* out) {
  const std::size_t k = cols.size();
  for (std::size_t j = 0; j < k; ++j) {
    const Column& c = cols[j];
    const char* p = c.data + static_cast<py::ssize_t>(begin) * c.stride;
    double* o = out + j;
    if (c.is_int) {
      for (std::size_t r = 0; r < n; ++r, p += c.stride, o += k) {
        std::int64_t v;
        std::memcpy(&v, p, sizeof v);
        *o = static_cast<double>(v);
      }
    } else {
      for (std::size_t r = 0; r < n; ++r, p += c.stride, o += k) std::memcpy(o, p, sizeof(double));
    }
  }
  if (!missing.empty()) {
    for (std::size_t i = 0; i < n * k; ++i) {
      for (double m : missing) if (out[i] == m) { out[i] = kNaN; break; }
    }
  }
}

// Runs `work(slice_begin, slice_rows, worker)` over the rows in slices on up to `threads` threads.
template <class Work>
void parallel_slices(std::size_t rows, unsigned threads, std::size_t slice, Work&& work) {
  const std::size_t slices = (rows + slice - 1) / slice;
  unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  t = static_cast<unsigned>(std::min<std::size_t>(t, std::max<std::size_t>(slices, 1)));
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(t);
  auto run = [&](unsigned w) {
    try {
      for (std::size_t s; (s = next.fetch_add(1)) < slices;) {
        const std::size_t b = s * slice;
        work(b, std::min(slice, rows - b), w);
      }
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < t; ++w) pool.emplace_back(run, w);
  run(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors) if (e) std::rethrow_exception(e);
}

// Passes every row of `cols` (one per item, plan order) to the accumulators as the CLI's reading
// does: declared missing codes become NaN, and a row the kernel refuses (an invalid answer) is
// handed over with all its answers missing and not scored, as the batch reader hands over an
// error row. Runs with the GIL released.
void accumulate_columns(const attune::ScoringPlan& plan, const py::list& cols, const std::vector<double>& missing,
                        const std::vector<attune::ChunkAccumulator*>& accumulators);

// The columns of `cols` after checking that there is one per item.
std::vector<Column> item_columns_of(const attune::ScoringPlan& plan, const py::list& cols, std::size_t& rows,
                                    std::vector<py::array>& keep);

}  // namespace attune_py
