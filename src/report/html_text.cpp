// Text helpers the report's parts share: escaping, rounded and exact numbers, a readable cell.
#include "report_parts.hpp"

#include <cmath>
#include <cstdio>

namespace attune::report {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string fixed(double x, int d) {
  if (!std::isfinite(x)) return "NA";
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", d, x);
  return b;
}

std::string full(double x) {
  if (!std::isfinite(x)) return "NaN";
  char b[48];
  std::snprintf(b, sizeof b, "%.17g", x);
  return b;
}

std::string td(const std::string& key, double x, int d) {
  return "<td data-key=\"" + esc(key) + "\" data-value=\"" + full(x) + "\">" + fixed(x, d) + "</td>";
}

}  // namespace attune::report
