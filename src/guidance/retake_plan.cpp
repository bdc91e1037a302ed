// The plan after a retake: a "Since last time" section (what moved, what held) placed after the
// plan's opening lines and before its first section, in every format the plan is written in.
#include <attune/retake.hpp>

#include <nlohmann/json.hpp>

namespace attune {

namespace {

std::string section_text(const std::vector<std::string>& lines, const std::string& heading, bool md) {
  std::string o = md ? "## " + heading + "\n\n" : heading + "\n" + std::string(heading.size(), '-') + "\n\n";
  for (const auto& l : lines) o += (md ? "- " : "") + l + "\n" + (md ? "" : "\n");
  return md ? o + "\n" : o;
}

}  // namespace

std::string add_retake_section(const std::string& rendered, const std::string& format, const Plan& plan, const Comparison& c,
                               const Guidance& g) {
  const std::vector<std::string> lines = retake_acknowledgement(c, g);
  const std::string heading = g.ui("ui.retake.heading");
  if (format == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(rendered);
    j["since_last_time"] = {{"heading", heading}, {"lines", lines}, {"comparison", nlohmann::ordered_json::parse(to_json(c, g))}};
    return j.dump(2) + "\n";
  }
  const bool md = format == "md";
  // After the disclaimer paragraph, which closes the plan's opening (title, headline, disclaimer).
  std::size_t at = rendered.find(plan.disclaimer);
  at = at == std::string::npos ? std::string::npos : rendered.find("\n\n", at);
  if (at == std::string::npos) return rendered + "\n" + section_text(lines, heading, md);
  return rendered.substr(0, at + 2) + section_text(lines, heading, md) + rendered.substr(at + 2);
}

}  // namespace attune
