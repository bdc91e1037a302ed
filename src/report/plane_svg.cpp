// The anxiety x avoidance plane as a heat map with a title, ticked axes in standardized units and a
// legend that says how many rows a shade stands for.
#include "report_parts.hpp"

#include <algorithm>
#include <cmath>

namespace attune::report {

namespace {

// A cell's shade: the square root of its share of the fullest cell, so that faint cells stay visible.
double opacity(double c, double mx) { return 0.12 + 0.88 * std::sqrt(c / mx); }

std::string pct(double part, double whole) { return whole > 0 ? fixed(100 * part / whole, 1) + "%" : "NA"; }

void ticks_and_titles(std::ostringstream& o, int M, int S, double half) {
  const std::vector<double> t = nice_ticks(-half, half, 7);
  for (double v : t) {
    const double p = M + (v + half) / (2 * half) * S;
    const std::string label = fixed(std::abs(v) < 1e-9 ? 0.0 : v, std::abs(v - std::round(v)) < 1e-9 ? 0 : 1);
    o << "<line class=\"tick\" x1=\"" << fixed(p, 1) << "\" y1=\"" << M + S << "\" x2=\"" << fixed(p, 1) << "\" y2=\"" << M + S + 5
      << "\" stroke=\"#444\"/><text x=\"" << fixed(p, 1) << "\" y=\"" << M + S + 17 << "\" font-size=\"10\" text-anchor=\"middle\">" << label << "</text>";
    const double q = M + S - (v + half) / (2 * half) * S;
    o << "<line class=\"tick\" x1=\"" << M - 5 << "\" y1=\"" << fixed(q, 1) << "\" x2=\"" << M << "\" y2=\"" << fixed(q, 1)
      << "\" stroke=\"#444\"/><text x=\"" << M - 7 << "\" y=\"" << fixed(q + 4, 1) << "\" font-size=\"10\" text-anchor=\"end\">" << label << "</text>";
  }
  o << "<text class=\"axis-title\" x=\"" << M + S / 2 << "\" y=\"" << M + S + 34
    << "\" font-size=\"11\" text-anchor=\"middle\">avoidance (standardized units)</text>";
  o << "<text class=\"axis-title\" x=\"12\" y=\"" << M + S / 2 << "\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 " << M + S / 2
    << ")\">anxiety (standardized units)</text>";
}

// Five shades with the row counts they stand for, beside the plot.
void shade_legend(std::ostringstream& o, int x, int y, double mx) {
  o << "<text class=\"legend\" x=\"" << x << "\" y=\"" << y << "\" font-size=\"10\" font-weight=\"bold\">rows per cell</text>";
  double last = -1;
  int row = 0;
  for (double q : {1.0, 0.5, 0.25, 0.1, 0.0}) {
    const double c = std::max(1.0, std::round(mx * q));
    if (c == last) continue;
    last = c;
    const double yy = y + 8 + 16 * row++;
    o << "<rect x=\"" << x << "\" y=\"" << fixed(yy, 1) << "\" width=\"14\" height=\"12\" fill=\"#2b6cb0\" fill-opacity=\"" << fixed(opacity(c, mx), 2)
      << "\" stroke=\"#888\" stroke-width=\"0.5\"/><text class=\"legend\" x=\"" << x + 19 << "\" y=\"" << fixed(yy + 10, 1)
      << "\" font-size=\"10\">" << fixed(c, 0) << "</text>";
  }
  o << "<rect x=\"" << x << "\" y=\"" << y + 8 + 16 * row << "\" width=\"14\" height=\"12\" fill=\"#fafafa\" stroke=\"#888\" stroke-width=\"0.5\"/>"
    << "<text class=\"legend\" x=\"" << x + 19 << "\" y=\"" << y + 18 + 16 * row << "\" font-size=\"10\">0</text>";
}

}  // namespace

std::string plane_svg(const std::vector<double>& plane, int bins, double half, const std::array<double, 6>& cat, bool quadrants) {
  const int S = 400, M = 52, LEG = 110, T = 30;
  const double cell = static_cast<double>(S) / bins;
  const double mx = std::max(1.0, *std::max_element(plane.begin(), plane.end()));
  std::ostringstream o;
  const std::string title = "Rows in the anxiety x avoidance plane";
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << S + M + 12 + LEG << "\" height=\"" << S + T + 44 << "\" viewBox=\"0 " << M - T
    << ' ' << S + M + 12 + LEG << ' ' << S + T + 44 << "\" role=\"img\" aria-label=\"" << title << "\" font-family=\"sans-serif\">";
  o << "<text class=\"plot-title\" x=\"" << M + S / 2 << "\" y=\"" << M - 12 << "\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">"
    << title << "</text>";
  o << "<rect x=\"" << M << "\" y=\"" << M << "\" width=\"" << S << "\" height=\"" << S << "\" fill=\"#fafafa\" stroke=\"#999\"/>";
  for (int i = 0; i < bins; ++i) {      // anxiety bin: y (up)
    for (int j = 0; j < bins; ++j) {    // avoidance bin: x
      const double c = plane[static_cast<std::size_t>(i * bins + j)];
      if (c <= 0) continue;
      o << "<rect x=\"" << fixed(M + j * cell, 1) << "\" y=\"" << fixed(M + S - (i + 1) * cell, 1) << "\" width=\"" << fixed(cell + 0.3, 1)
        << "\" height=\"" << fixed(cell + 0.3, 1) << "\" fill=\"#2b6cb0\" fill-opacity=\"" << fixed(opacity(c, mx), 2) << "\"><title>"
        << fixed(c, 0) << "</title></rect>";
    }
  }
  const int mid = M + S / 2;
  const char* line_style = quadrants ? "stroke=\"#c53030\" stroke-width=\"1.5\"" : "stroke=\"#999\" stroke-width=\"1\" stroke-dasharray=\"4 4\"";
  o << "<line x1=\"" << mid << "\" y1=\"" << M << "\" x2=\"" << mid << "\" y2=\"" << M + S << "\" " << line_style << "/>";
  o << "<line x1=\"" << M << "\" y1=\"" << mid << "\" x2=\"" << M + S << "\" y2=\"" << mid << "\" " << line_style << "/>";
  const double n = std::max(1.0, cat[0] + cat[1] + cat[2] + cat[3] + cat[5]);
  auto label = [&](int x, int y, const char* name, int c, const char* anchor) {
    o << "<text x=\"" << x << "\" y=\"" << y << "\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"" << anchor << "\" fill=\"#333\">" << name
      << (quadrants ? " " + pct(cat[static_cast<std::size_t>(c)], n) : std::string()) << "</text>";
  };
  label(M + 6, M + S - 8, "secure", 0, "start");
  label(M + 6, M + 18, "anxious", 1, "start");
  label(M + S - 6, M + S - 8, "avoidant", 2, "end");
  label(M + S - 6, M + 18, "fearful", 3, "end");
  ticks_and_titles(o, M, S, half);
  shade_legend(o, M + S + 14, M + 10, mx);
  o << "</svg>";
  return o.str();
}

}  // namespace attune::report
