#pragma once
// A person's EAP, two ways. The plain twin adds the answered items' rows of log P into a log posterior
// and takes its moments with one exp per node (grm.hpp). The fast one multiplies probabilities
// instead: tables of P per item, category and node, and of P x P for pairs of items (one
// multiplication per two answered items), the prior's weights, and the posterior's three sums in the
// same pass over the grid, four nodes at a time: no log posterior kept, no exp, no second pass.
//
// Why they agree: products of probabilities can underflow where sums of logs cannot, so the fast twin
// declines (returns false) when the posterior's total is under kSmallestTotal and the caller takes the
// plain twin. Above it, every node within 40 log units of the largest (the nodes the plain twin
// counts) is a normal double, reached through normal doubles only (each factor is at most 1, so a
// node's partial products only shrink towards its final value); the nodes the plain twin leaves out
// weigh under 4e-18 of the largest each. So theta and SE differ from the plain twin's by rounding
// only (under 1e-12: tests/test_irt_fast.cpp, every row of the open ECR data among them).
#include "grm.hpp"

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

// One scale's probabilities laid out for the fast twin: rows padded to a multiple of four nodes (the
// prior's weight is 0 on the padding, so padded nodes weigh nothing), and for answer scales of up to
// kMaxPairCategories categories the pairs (2p, 2p + 1) of the first 2 * (items / 2) items, multiplied.
struct PersonTables {
  static constexpr int kMaxPairCategories = 7;  // 49 rows a pair: ECR-R's 1..7 still fits in cache
  static constexpr double kSmallestTotal = 1e-250;
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

// The fast twin of plain_eap into out. False when the posterior's total is under kSmallestTotal (then
// out is not set: take plain_eap). `answered`: how many categories are not negative, when the caller
// knows it.
bool fast_eap(const PersonTables& tables, const int* category, ThetaEstimate& out);
bool fast_eap(const PersonTables& tables, const int* category, std::size_t answered, ThetaEstimate& out);

}  // namespace attune::irt::detail
