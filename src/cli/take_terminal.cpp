// The terminal side of `attune take`: raw one-key mode and the small helpers both take modes share.
#include "take_terminal.hpp"

#include <attune/attune.hpp>

#include <csignal>
#include <termios.h>
#include <unistd.h>

namespace attune::cli {

namespace {

struct termios g_saved_tty;
volatile std::sig_atomic_t g_tty_raw = 0;

extern "C" void on_signal(int sig) {
  if (g_tty_raw) ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_tty);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void restore_tty() {
  if (g_tty_raw) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_tty);
    g_tty_raw = 0;
  }
}

RawTty::RawTty() {
  if (::tcgetattr(STDIN_FILENO, &g_saved_tty) != 0) return;
  struct termios raw = g_saved_tty;
  raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) on = true, g_tty_raw = 1;
}

RawTty::~RawTty() { restore_tty(); }

// One key from the raw terminal; an Enter pressed after a key out of habit is not an answer (it
// used to be refused and the prompt repeated), so it is passed over. EOF reads as Ctrl-D.
int next_key() {
  int ch;
  do ch = std::getchar(); while (ch == '\n' || ch == '\r');
  return ch == EOF ? 4 : ch;
}

// q or Ctrl-D on a terminal: with answers given, ask before they are thrown away.
bool confirm_quit(std::FILE* ui, std::size_t answered) {
  if (answered == 0) return true;
  std::fprintf(ui, "\n  Quit now? Your %zu answer%s so far will not be kept. Press y to quit, any other key to go on: ", answered,
               answered == 1 ? "" : "s");
  std::fflush(ui);
  const int ch = next_key();
  std::fprintf(ui, "\n");
  return ch == 'y' || ch == 'Y' || ch == 4;
}

// Wording from a text pack or an instrument file goes to a terminal: control characters (an escape
// sequence, a carriage return) are shown escaped (attune::printable); line breaks stay line breaks.
std::string on_screen(const std::string& text) {
  std::string out;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t nl = text.find('\n', begin);
    out += printable(text.substr(begin, nl == std::string::npos ? std::string::npos : nl - begin));
    if (nl == std::string::npos) return out;
    out += '\n';
    begin = nl + 1;
  }
}

}  // namespace attune::cli
