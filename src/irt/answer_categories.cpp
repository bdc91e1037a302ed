// Answers to categories four items at a time (answer_categories.hpp).
#include "answer_categories.hpp"

#include "../simd/vec4.hpp"

#include <cstring>

namespace attune::irt::detail {

void AnswerLayout::build(const std::vector<std::size_t>& positions, const std::vector<std::uint8_t>& reversed, int lo, int hi) {
  items = positions.size();
  min = lo;
  max = hi;
  const std::size_t padded = (items + 3) / 4 * 4;
  position.assign(padded, 0);
  real.assign(padded, 0);
  base.assign(padded, 0.0);
  flip.assign(padded, 0.0);
  for (std::size_t j = 0; j < items; ++j) {
    position[j] = static_cast<long long>(positions[j]);
    real[j] = -1;
    base[j] = reversed[j] ? hi : -lo;
    flip[j] = reversed[j] ? -1.0 : 1.0;
  }
}

namespace {

using attune::detail::load4;
using attune::detail::vec4;
typedef long long lanes4 __attribute__((vector_size(32)));
typedef unsigned long long ulanes4 __attribute__((vector_size(32)));

ATTUNE_CLONES int categories4(const AnswerLayout& a, const double* answers, int* c) {
  const double magic = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to a whole number
  const ulanes4 magic_bits = {0x4338000000000000ULL, 0x4338000000000000ULL, 0x4338000000000000ULL, 0x4338000000000000ULL};
  lanes4 off = {0, 0, 0, 0}, answered = off;
  for (std::size_t j = 0; j < a.padded(); j += 4) {
    const long long* p = a.position.data() + j;
    const vec4 v = {answers[p[0]], answers[p[1]], answers[p[2]], answers[p[3]]};
    vec4 base, flip;
    lanes4 real;
    load4(base, a.base.data() + j);
    load4(flip, a.flip.data() + j);
    std::memcpy(&real, a.real.data() + j, sizeof real);
    // v + magic - magic is v rounded to a whole number: v is one when they are equal.
    const lanes4 whole = (v >= a.min) & (v <= a.max) & (((v + magic) - magic) == v);
    off |= real & ~(whole | (v != v));
    answered -= real & whole;
    // base + flip * v is a small whole number: its bits above magic's are the category.
    // Unsigned: for an answer that is not one (1e16, say) the difference may not fit a signed lane.
    const vec4 shifted = (base + flip * v) + magic;
    ulanes4 bits;
    std::memcpy(&bits, &shifted, sizeof bits);
    bits -= magic_bits;
    lanes4 small;
    std::memcpy(&small, &bits, sizeof small);
    const lanes4 cat = whole ? small : lanes4{-1, -1, -1, -1};
    for (int k = 0; k < 4; ++k) c[j + static_cast<std::size_t>(k)] = static_cast<int>(cat[k]);
  }
  if ((off[0] | off[1] | off[2] | off[3]) != 0) return -1;
  return static_cast<int>((answered[0] + answered[1]) + (answered[2] + answered[3]));
}

}  // namespace

int fast_categories(const AnswerLayout& layout, const double* answers, int* c) { return categories4(layout, answers, c); }

}  // namespace attune::irt::detail
