#pragma once
// A person's answers to one scale's categories four items at a time: the fast twin of
// ThetaScorer's category() (theta.cpp), which a file's --irt rows called once per answer. Both take an
// answer on the response scale min..max and a whole number to its category (max - v reverse-keyed,
// v - min otherwise), NaN to -1 (not answered); anything else is off the scale, which the fast twin
// only detects: the caller then asks the plain one, which says which answer it was.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace attune::irt::detail {

struct AnswerLayout {
  std::size_t items = 0;
  double min = 0, max = 0;
  // Per item, padded to a multiple of four: where its answer is, category = base + flip * answer,
  // and -1 for a real item (0 for the padding, whose lanes are never judged).
  std::vector<long long> position, real;
  std::vector<double> base, flip;
  void build(const std::vector<std::size_t>& positions, const std::vector<std::uint8_t>& reversed, int min, int max);
  std::size_t padded() const { return position.size(); }
};

// Categories into c (room for layout.padded() values; -1 = not answered); returns how many items were
// answered, or -1 when an answer is off the scale (c is then not to be used).
int fast_categories(const AnswerLayout& layout, const double* answers, int* c);

}  // namespace attune::irt::detail
