#pragma once
// A person's log posterior over the grid, two ways that give the same bits. The plain twin adds the
// answered items' table rows four at a time into ll; the fast one walks the grid four nodes at a time
// with the sum held in a register across all items, and for a row that answered every item of the
// scale it reads pre-added rows of item pairs (one addition per two items). The pairs are summed
// exactly as the plain twin groups them ((r0 + r1) + (r2 + r3) per four answered items, the rest one
// by one), so the fast sum is the plain sum, bit for bit (tests/test_irt_fast.cpp).
#include "grm.hpp"
#include "posterior_moments.hpp"

#include <cstddef>
#include <vector>

namespace attune::irt::detail {

// ll[q] = log prior + sum of the answered items' log P; category[j] < 0 = not answered. Returns the
// items answered.
int plain_log_posterior(const LogTable& table, const int* category, std::size_t items, const double* log_prior,
                        std::size_t nodes, double* ll);

// The plain twin's EAP: plain_log_posterior, then posterior_mean_sd.
ThetaEstimate plain_eap(const LogTable& table, const int* category, std::size_t items, const std::vector<double>& log_prior,
                        const std::vector<double>& points);

// The tables of one scale laid out for the fast sum: rows padded to a multiple of four nodes (the
// prior's padding is -inf, so padded nodes never lead), and for answer scales of up to kMaxPairCategories
// categories the pairs (2i, 2i + 1) of the first 4 * (items / 4) items, pre-added.
struct PersonTables {
  static constexpr int kMaxPairCategories = 7;  // 49 rows a pair: ECR-R's 1..7 still fits in cache
  std::size_t nodes = 0, padded = 0, items = 0, paired = 0;
  int categories = 0;
  std::vector<double> prior, points, single, pairs;
  void build(const LogTable& table, std::size_t items, int categories, const std::vector<double>& log_prior,
             const std::vector<double>& grid);
  const double* one(std::size_t item, int category) const {
    return single.data() + (item * static_cast<std::size_t>(categories) + static_cast<std::size_t>(category)) * padded;
  }
  const double* two(std::size_t pair, int first, int second) const {
    const std::size_t K = static_cast<std::size_t>(categories);
    return pairs.data() + ((pair * K + static_cast<std::size_t>(first)) * K + static_cast<std::size_t>(second)) * padded;
  }
};

// The fast twin of plain_log_posterior into ll (tables.padded values); peak = the largest ll and its node.
// `answered`: how many categories are not negative, when the caller knows it.
int fast_log_posterior(const PersonTables& tables, const int* category, double* ll, Peak& peak);
int fast_log_posterior(const PersonTables& tables, const int* category, std::size_t answered, double* ll, Peak& peak);

// The fast twin of plain_eap: the same log posterior, its mean and SD by fast_mean_sd
// (posterior_moments.hpp), which differ from the plain twin's by rounding only.
ThetaEstimate fast_eap(const PersonTables& tables, const int* category);
ThetaEstimate fast_eap(const PersonTables& tables, const int* category, std::size_t answered);

}  // namespace attune::irt::detail
