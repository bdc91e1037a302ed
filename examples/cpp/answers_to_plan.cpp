// For app developers: one person's answers in, a plan as JSON out (what an app would render).
// Build: part of the main build (target answers_to_plan).
// Run:   ./build/examples/cpp/answers_to_plan [ANSWERS.json] [YYYY-MM-DD]
//        (defaults: examples/data/ecr-r-one.json from the source tree, 2025-03-01)
#include <attune/attune.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  try {
    // Load once at start-up and keep: the compiled instrument and the guidance pack are immutable
    // and can be shared between threads and requests.
    attune::ScoringPlan scoring = attune::ScoringPlan::compile(attune::load_instrument("ecr-r"));
    attune::Guidance guidance = attune::Guidance::load("en");

    // Per person: answers (item id or position -> value; null or absent = skipped) ...
    std::string path = argc > 1 ? argv[1] : ATTUNE_EXAMPLE_DATA "/ecr-r-one.json";
    std::ifstream in(path);
    if (!in) throw attune::IoError("cannot open answers", attune::Location::in_file(path));
    std::stringstream text;
    text << in.rdbuf();
    attune::Responses answers = attune::responses_from_json(scoring, text.str(), path);
    attune::Result result = attune::score(scoring, answers);

    // ... what the person told you about their situation (all optional) ...
    attune::Context context;
    context.stage = "dating";
    context.start = attune::Date::parse(argc > 2 ? argv[2] : "2025-03-01");

    // ... and the plan. Same input, same plan; every step says why it was chosen.
    attune::Plan plan = attune::recommend(scoring, result, context, guidance);
    std::cout << attune::to_json(plan, guidance) << "\n";

    std::cerr << plan.headline << "\n";
    if (plan.care) std::cerr << "(the plan leads with support options)\n";
    for (const auto& step : plan.focus) std::cerr << "- " << step.title << ": " << step.why.text << "\n";
  } catch (const attune::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
