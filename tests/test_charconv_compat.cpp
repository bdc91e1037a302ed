// The portable twins of from_chars/to_chars for doubles (src/charconv_compat.*), which the WebAssembly
// build uses: checked natively against the standard library's <charconv>.
#include <catch2/catch.hpp>

#include "../src/charconv_compat.hpp"  // internal: the twins

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace {

std::string portable_shortest(double x) {
  char buf[32];
  return std::string(buf, static_cast<std::size_t>(attune::detail::shortest_double_portable(x, buf)));
}

std::string std_shortest(double x) {
  char buf[32];
  return std::string(buf, static_cast<std::size_t>(std::to_chars(buf, buf + 32, x).ptr - buf));
}

// The end offset from_chars reports for text (-1: no number), and the value in out.
long std_parse(const std::string& text, double& out) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() ? static_cast<long>(r.ptr - text.data()) : -1;
}

long portable_parse(const std::string& text, double& out) {
  const char* end = attune::detail::parse_double_portable(text.data(), text.data() + text.size(), out);
  return end ? static_cast<long>(end - text.data()) : -1;
}

}  // namespace

TEST_CASE("charconv twins: a number at the start of a long document is read") {
  // An answers document is parsed in place: the number is followed by the rest of the document. The
  // first portable version copied the whole remainder into 64 bytes and gave up when it was longer,
  // so in WebAssembly every answer but the last few sent the flat parser to the slow full one.
  const std::string tail = std::string(", \"q2\": 3, \"q3\": 4") + std::string(80, ' ') + "}";
  for (const std::string number : {"5", "5.5", "-2", "1e2", "0.125", "12345678901234567"}) {
    const std::string text = number + tail;
    double mine = 0, theirs = 0;
    CAPTURE(number);
    REQUIRE(portable_parse(text, mine) == static_cast<long>(number.size()));
    REQUIRE(std_parse(text, theirs) == static_cast<long>(number.size()));
    CHECK(mine == theirs);
  }
}

TEST_CASE("charconv twins: parse agrees with from_chars on answers, decimals and edge forms") {
  const char* cases[] = {"0", "7", "-0", "007", "42,", "3}", "5 ", "2.5", "1.", "-4.75", "1e-3", "1E5", "6.02e23",
                         "999999999999999", "9999999999999999", "0x10", "+5", " 5", "-", "", ".5", "abc", "1.5e"};
  for (const std::string text : cases) {
    double mine = -99, theirs = -99;
    CAPTURE(text);
    const long m = portable_parse(text, mine), s = std_parse(text, theirs);
    CHECK(m == s);
    if (m >= 0 && s >= 0) {
      CHECK(mine == theirs);
      CHECK(std::signbit(mine) == std::signbit(theirs));
    }
  }
  std::mt19937_64 rng(20261203);
  std::uniform_real_distribution<double> u(-1e6, 1e6);
  for (int i = 0; i < 2000; ++i) {
    const std::string text = std_shortest(u(rng)) + ",\"q9\":1}";
    double mine = 0, theirs = 1;
    CAPTURE(text);
    REQUIRE(portable_parse(text, mine) == std_parse(text, theirs));
    CHECK(mine == theirs);
  }
}

TEST_CASE("charconv twins: the shortest text reads back exactly and matches to_chars on scores") {
  // Scale means and sums of k answers (k/n for n up to 36 items): the result JSON's usual numbers.
  for (int n = 1; n <= 36; ++n) {
    for (int k = -7 * n; k <= 7 * n; ++k) {
      const double x = static_cast<double>(k) / n;
      CAPTURE(k, n);
      CHECK(portable_shortest(x) == std_shortest(x));
    }
  }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t bits = rng();
    double x = 0;
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isfinite(x)) continue;
    const std::string text = portable_shortest(x);
    CAPTURE(text);
    REQUIRE(text.size() <= 25);
    CHECK(std::strtod(text.c_str(), nullptr) == x);
  }
  CHECK(portable_shortest(7.0) == "7");
  CHECK(portable_shortest(-0.0) == "-0");
  CHECK(portable_shortest(0.5) == "0.5");
}
