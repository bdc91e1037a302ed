#pragma once
// `attune take --adaptive`: the questionnaire asked one item at a time by the adaptive test
// (attune/cat.hpp), each next item chosen from the answers so far; ends with theta and SE per scale.
#include "cat_options.hpp"

#include <string>

namespace attune::cli {

struct AdaptiveTakeArgs {
  bool on = false;
  std::string calibration;  // empty: the shipped calibration of the instrument, when there is one
  CatRuleArgs rules;
};

struct TakeIo {
  std::string instrument;
  std::string text_pack;
  std::string format;  // text, md or json
  std::string output;
};

int run_take_adaptive(const TakeIo& io, const AdaptiveTakeArgs& a);

}  // namespace attune::cli
