// The report's figures as inline SVG, each with a title, ticked and labelled axes and a legend, so a
// figure can go into a paper's supplement as it is.
#include "report_parts.hpp"

#include <algorithm>
#include <cmath>

namespace attune::report {

namespace {

constexpr const char* kAxis = "stroke=\"#444\"";
constexpr const char* kGrid = "stroke=\"#e3e3e3\"";

// A tick's label: as few decimals as the step needs.
std::string tick_label(double v, double step) {
  int d = 0;
  while (d < 6 && std::abs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) > 1e-9) ++d;
  if (std::abs(v) < step * 1e-9) v = 0;  // no "-0.0"
  return fixed(v, d);
}

// The plot area [x0, x1] x [y0, y1] (SVG units, y0 at the top) and the data ranges mapped onto it.
struct Frame {
  double x0, x1, y0, y1;
  double lo, hi, ylo, yhi;
  double px(double v) const { return x0 + (v - lo) / (hi - lo) * (x1 - x0); }
  double py(double v) const { return y1 - (v - ylo) / (yhi - ylo) * (y1 - y0); }
};

void open_svg(std::ostringstream& o, int w, int h, const std::string& title) {
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << ' ' << h
    << "\" role=\"img\" aria-label=\"" << esc(title) << "\" font-family=\"sans-serif\">";
  // No <title> element for the figure: a bar's <title> is its count (tools read the bars by it).
  o << "<text class=\"plot-title\" x=\"" << w / 2 << "\" y=\"16\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">" << esc(title)
    << "</text>";
}

// Both axes with ticks, labels, light grid lines and the axis titles.
void axes(std::ostringstream& o, const Frame& f, const std::vector<double>& xt, const std::vector<double>& yt,
          const std::string& x_title, const std::string& y_title) {
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1, ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double v : yt) {
    const double y = f.py(v);
    o << "<line x1=\"" << fixed(f.x0, 1) << "\" y1=\"" << fixed(y, 1) << "\" x2=\"" << fixed(f.x1, 1) << "\" y2=\"" << fixed(y, 1) << "\" " << kGrid << "/>";
    o << "<line class=\"tick\" x1=\"" << fixed(f.x0 - 4, 1) << "\" y1=\"" << fixed(y, 1) << "\" x2=\"" << fixed(f.x0, 1) << "\" y2=\"" << fixed(y, 1)
      << "\" " << kAxis << "/><text x=\"" << fixed(f.x0 - 6, 1) << "\" y=\"" << fixed(y + 4, 1)
      << "\" font-size=\"10\" text-anchor=\"end\">" << tick_label(v, ystep) << "</text>";
  }
  for (double v : xt) {
    const double x = f.px(v);
    o << "<line class=\"tick\" x1=\"" << fixed(x, 1) << "\" y1=\"" << fixed(f.y1, 1) << "\" x2=\"" << fixed(x, 1) << "\" y2=\"" << fixed(f.y1 + 4, 1)
      << "\" " << kAxis << "/><text x=\"" << fixed(x, 1) << "\" y=\"" << fixed(f.y1 + 15, 1) << "\" font-size=\"10\" text-anchor=\"middle\">"
      << tick_label(v, xstep) << "</text>";
  }
  o << "<line x1=\"" << fixed(f.x0, 1) << "\" y1=\"" << fixed(f.y1, 1) << "\" x2=\"" << fixed(f.x1, 1) << "\" y2=\"" << fixed(f.y1, 1) << "\" " << kAxis << "/>";
  o << "<line x1=\"" << fixed(f.x0, 1) << "\" y1=\"" << fixed(f.y0, 1) << "\" x2=\"" << fixed(f.x0, 1) << "\" y2=\"" << fixed(f.y1, 1) << "\" " << kAxis << "/>";
  const double ym = (f.y0 + f.y1) / 2;
  o << "<text class=\"axis-title\" x=\"" << fixed((f.x0 + f.x1) / 2, 1) << "\" y=\"" << fixed(f.y1 + 31, 1)
    << "\" font-size=\"11\" text-anchor=\"middle\">" << esc(x_title) << "</text>";
  o << "<text class=\"axis-title\" x=\"12\" y=\"" << fixed(ym, 1) << "\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 "
    << fixed(ym, 1) << ")\">" << esc(y_title) << "</text>";
}

// One legend entry: a swatch (filled box, or a line) and its text, at (x, y).
void legend_entry(std::ostringstream& o, double x, double y, const char* color, const std::string& text, bool line,
                  const char* opacity = "1") {
  if (line) {
    o << "<line x1=\"" << fixed(x, 1) << "\" y1=\"" << fixed(y - 4, 1) << "\" x2=\"" << fixed(x + 16, 1) << "\" y2=\"" << fixed(y - 4, 1)
      << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>";
  } else {
    o << "<rect x=\"" << fixed(x, 1) << "\" y=\"" << fixed(y - 9, 1) << "\" width=\"12\" height=\"10\" fill=\"" << color
      << "\" fill-opacity=\"" << opacity << "\" stroke=\"#888\" stroke-width=\"0.5\"/>";
  }
  o << "<text class=\"legend\" x=\"" << fixed(x + 20, 1) << "\" y=\"" << fixed(y, 1) << "\" font-size=\"10\">" << esc(text) << "</text>";
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  const double raw = (hi - lo) / std::max(1, target - 1);
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * p;
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * p >= raw * (1 - 1e-9)) { step = m * p; break; }
  }
  std::vector<double> t;
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) t.push_back(k * step);
  return t;
}

std::string histogram_svg(const std::vector<double>& counts, double lo, double hi, const HistogramFigure& fig) {
  const int W = 470, H = 250;
  const double mx = std::max(1.0, *std::max_element(counts.begin(), counts.end()));
  std::vector<double> yt = nice_ticks(0, mx, 5);
  // The count axis ends on a tick above the tallest bar, so the top is labelled.
  if (yt.size() > 1 && yt.back() < mx) yt.push_back(yt.back() + (yt[1] - yt[0]));
  Frame f{52, W - 14.0, 46, H - 42.0, lo, hi, 0, std::max(mx, yt.back())};
  std::ostringstream o;
  open_svg(o, W, H, fig.title);
  legend_entry(o, f.x1 - 150, 36, fig.color, fig.legend, false);
  axes(o, f, nice_ticks(lo, hi, 7), yt, fig.x_title, fig.y_title);
  const double bw = (f.x1 - f.x0) / static_cast<double>(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double top = f.py(counts[i]);
    o << "<rect x=\"" << fixed(f.x0 + bw * static_cast<double>(i) + 0.5, 1) << "\" y=\"" << fixed(top, 1) << "\" width=\""
      << fixed(std::max(0.5, bw - 1), 1) << "\" height=\"" << fixed(f.y1 - top, 1) << "\" fill=\"" << fig.color << "\"><title>"
      << fixed(counts[i], 0) << "</title></rect>";
  }
  o << "</svg>";
  return o.str();
}

std::string line_svg(const std::vector<Series>& series, const std::string& title, const std::string& x_title, const std::string& y_title) {
  const int W = 470, H = 260;
  double xlo = 0, xhi = 1, ymx = 0;
  bool first = true;
  for (const Series& s : series) {
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      xlo = first ? s.x[i] : std::min(xlo, s.x[i]);
      xhi = first ? s.x[i] : std::max(xhi, s.x[i]);
      ymx = std::max(ymx, s.y[i]);
      first = false;
    }
  }
  if (!(xhi > xlo)) xhi = xlo + 1;
  std::vector<double> yt = nice_ticks(0, std::max(ymx, 1e-9), 5);
  if (yt.size() > 1 && yt.back() < ymx) yt.push_back(yt.back() + (yt[1] - yt[0]));
  Frame f{52, W - 14.0, 38 + 13.0 * static_cast<double>(series.size()), H - 42.0, xlo, xhi, 0, std::max(ymx, yt.back())};
  std::ostringstream o;
  open_svg(o, W, H, title);
  for (std::size_t k = 0; k < series.size(); ++k) legend_entry(o, f.x0 + 10, 34 + 13.0 * static_cast<double>(k), series[k].color, series[k].name, true);
  axes(o, f, nice_ticks(xlo, xhi, 9), yt, x_title, y_title);
  for (const Series& s : series) {
    o << "<polyline fill=\"none\" stroke=\"" << s.color << "\" stroke-width=\"2\" points=\"";
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) o << fixed(f.px(s.x[i]), 1) << ',' << fixed(f.py(s.y[i]), 1) << ' ';
    }
    o << "\"/>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace attune::report
