#pragma once
// The terminal side of `attune take` (full and adaptive): one-key raw mode restored on every way
// out, reading a key, asking before answers are thrown away, and showing outside text safely.
#include <cstddef>
#include <cstdio>
#include <string>

namespace attune::cli {

// Raw keys on a terminal (one key answers, no Enter), restored on every way out, including Ctrl-C.
struct RawTty {
  bool on = false;
  RawTty();
  ~RawTty();
  RawTty(const RawTty&) = delete;
  RawTty& operator=(const RawTty&) = delete;
};
void restore_tty();

// Thrown when the person quits with q (or Ctrl-D); `take` turns it into exit code 8.
struct Cancelled {};

// One key from the raw terminal; Enter after a key is passed over; EOF reads as Ctrl-D (4).
int next_key();
// q or Ctrl-D on a terminal: with answers given, ask before they are thrown away.
bool confirm_quit(std::FILE* ui, std::size_t answered);
// Control characters in outside text (a text pack, an instrument) shown escaped; line breaks kept.
std::string on_screen(const std::string& text);

}  // namespace attune::cli
