#include <attune/attune.hpp>
#include <catch2/catch.hpp>

TEST_CASE("every built-in instrument loads and compiles with each profile method") {
  auto ids = attune::builtin_instrument_ids();
  REQUIRE(ids.size() >= 7);
  for (const auto& id : ids) {
    INFO(id);
    attune::Instrument ins = attune::load_instrument(id);
    for (const auto& m : ins.methods) {
      attune::ScoringOptions o;
      o.profile_method = m.name;
      REQUIRE_NOTHROW(attune::ScoringPlan::compile(ins, o));
    }
  }
}
