#pragma once
// What the sums of a block of rows share between their double and byte paths (reliability_sums.cpp,
// reliability_bytes.cpp): per-thread scratch and the last step of each call.
#include <attune/reliability.hpp>

#include "cross_products.hpp"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace attune::detail {

constexpr std::size_t kSumsSlice = 1024;  // rows per group in add_rows: the packed rows stay in cache

// Per-thread scratch of add_rows, kept between calls so that a call allocates nothing.
struct SumsScratch {
  std::vector<double> comp, part, prow, pok, psq, tot_n, tot_x, tot_xx, corr_n, corr_x, corr_xx;
  // Packing buffers per block width, so that blocks of different sizes (all items, one scale's
  // side sums) each keep theirs zero-padded instead of clearing a shared one for every call.
  std::map<std::size_t, std::pair<PackedRows, PackedRows>> packs;
  // Answer counts in integers, added to the double totals once: an integer increment in memory
  // is one instruction, a double one waits on the previous add to the same counter.
  std::vector<std::uint32_t> cf, pf;
  std::vector<double> counts_c, counts_p, missing;
  std::vector<std::int32_t> corr32;  // the byte path's corrections of one slice: n, x, x^2
  std::vector<double> as_double;     // the byte path's rows as doubles, when it cannot pack them
  std::vector<int> gaps;             // one partial row's missing items

  void start(std::size_t n, std::size_t c_freq, std::size_t p_freq, std::size_t count_cells) {
    cf.assign(c_freq, 0);
    pf.assign(p_freq, 0);
    counts_c.assign(count_cells, 0);
    counts_p.assign(count_cells, 0);
    missing.assign(n, 0);
    tot_n.assign(n, 0);
    tot_x.assign(n, 0);
    tot_xx.assign(n, 0);
    prow.resize(n);
    pok.resize(n);
    psq.resize(n);
    corr_n.assign(n * n, 0);
    corr_x.assign(n * n, 0);
    corr_xx.assign(n * n, 0);
  }
};

SumsScratch& sums_scratch();

// The end of add_rows: the integer counts into the frequencies, the per-item sums from the counts
// (by_counts), and the partial rows' per-pair counts and sums as per-item totals minus each
// missing cell's corrections.
void finish_sums(ReliabilitySums& s, SumsScratch& t, bool by_counts, double partial_rows);

// ReliabilitySums::add_rows from bytes (kNotAnsweredByte = missing), with the same sums as from doubles.
void add_byte_rows(ReliabilitySums& s, const std::int8_t* x, std::size_t n_rows, std::uint8_t* complete = nullptr);

}  // namespace attune::detail
