// Score one person's ECR-R answers and print the result as JSON.
// Build: part of the main build (target score_one_person). Run: ./build/examples/cpp/score_one_person
#include <attune/attune.hpp>

#include <iostream>

int main() {
  try {
    // Parse once: load the instrument and compile it into a plan (reuse the plan for every person).
    attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument("ecr-r"));

    // Answers by item id or position; anything not set is missing (never 0).
    attune::Responses answers(plan);
    const int given[36] = {5, 6, 4, 5, 6, 3, 5, 6, 2, 5, 3, 6, 4, 5, 6, 5, 4, 6,
                           2, 6, 3, 5, 2, 3, 2, 5, 6, 5, 6, 5, 2, 3, 6, 5, 6, 5};
    for (int position = 1; position <= 36; ++position) answers.set_position(position, given[position - 1]);
    answers.set_missing("q17");  // this person skipped item 17

    attune::Result result = attune::score(plan, answers);
    std::cout << attune::to_json(plan, result) << "\n";

    const attune::ScaleScore* anxiety = result.find_scale("anxiety");
    std::cout << "anxiety = " << anxiety->raw << " from " << anxiety->answered << " items\n";
  } catch (const attune::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
