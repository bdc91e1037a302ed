#include <attune/error.hpp>
#include <attune/limits.hpp>
#include <attune/option_text.hpp>

#include <stdexcept>

namespace attune {

ResponseScale parse_response_scale(const std::string& s) {
  auto dots = s.find("..");
  ResponseScale rs;
  const Location where;  // the message quotes the text, as the CLI always did
  try {
    if (dots == std::string::npos) throw std::invalid_argument("no ..");
    std::size_t u1 = 0, u2 = 0;
    rs.min = std::stoi(s.substr(0, dots), &u1);
    rs.max = std::stoi(s.substr(dots + 2), &u2);
    if (u1 != dots || u2 != s.size() - dots - 2) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw UsageError("--response-scale '" + s + "' is not MIN..MAX", where, "e.g. 1..5");
  }
  if (rs.min >= rs.max) throw UsageError("--response-scale '" + s + "' is empty", where, "MIN < MAX");
  const int m = kMaxResponseScaleValue;
  if (rs.min < -m || rs.max > m) {
    throw UsageError("--response-scale '" + s + "' is out of range", where,
                     "both ends within -" + std::to_string(m) + ".." + std::to_string(m) + ", as for an instrument's response_scale");
  }
  return rs;
}

std::vector<std::string> split_comma_lists(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    std::string cur;
    for (char ch : s) {
      if (ch == ',') {
        out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(ch);
      }
    }
    out.push_back(cur);
  }
  return out;
}

}  // namespace attune
