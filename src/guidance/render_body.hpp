#pragma once
// The body of a content entry as lines, and its display title: one layout shared by the plan's JSON
// (plan_json.cpp) and its text, Markdown and iCalendar renderings (render.cpp). Internal.
#include <attune/guidance.hpp>

#include <string>
#include <vector>

namespace attune::detail {

struct Line {
  enum Kind { paragraph, bullet, step } kind;
  std::string text;
};

// The title shown for an entry: its own, else "Myth: ..." for a myth, else its id.
std::string display_title(const ContentEntry& e, const Guidance& g);
// The entry's texts, lists and examples in reading order. stage: the plan's relationship stage
// (empty when not given); a practice for two adds its wording for that stage.
std::vector<Line> body(const ContentEntry& e, const Guidance& g, const std::string& stage);

}  // namespace attune::detail
