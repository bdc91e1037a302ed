#!/usr/bin/python3
"""`attune take` in one-key terminal mode, driven through a pseudo-terminal.

The piped mode is tested in test_plan_cli.sh; this drives the mode a person uses: the program sees a
terminal, switches it to raw keys (no Enter, no echo), and must restore it on every way out. Each key
is sent only after the program has asked for it, and every prompt is checked, so the test follows
the conversation item by item: answer, go back (the old answer is shown and replaced), skip, ignore
a wrong key, a digit followed by Enter, quit with q or Ctrl-D (asked first once answers were given),
and Ctrl-C. Results are read both from the terminal and
from the JSON the program writes with -o.

Usage: /usr/bin/python3 test_take_tty.py ATTUNE_BINARY SOURCE_DIR
"""
import json
import os
import pty
import re
import select
import signal
import sys
import tempfile
import termios
import time

BIN, SRC = sys.argv[1], sys.argv[2]
TIMEOUT = 30.0  # seconds for any one prompt (generous: the machine may be busy)
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAILED: %s %s" % (name, detail))


class Session:
    """One run of the program on a fresh pseudo-terminal."""

    def __init__(self, args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: stdin, stdout and stderr are the terminal
            try:
                os.execv(BIN, [BIN] + args)
            finally:
                os._exit(127)
        self.out = b""
        self.status = None

    def _read(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.fd], [], [], left)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed the terminal (it ended)
            return False
        if not data:
            return False
        self.out += data
        return True

    def expect(self, pattern, since):
        """Waits until `pattern` (bytes regex) appears in the output after offset `since`."""
        deadline = time.monotonic() + TIMEOUT
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.out, since)
            if m:
                return m
            if not self._read(deadline):
                return None

    def send(self, key):
        os.write(self.fd, key)

    def raw_mode(self):
        """True when the terminal has line editing and echo off (the program's key mode)."""
        lflag = termios.tcgetattr(self.fd)[3]
        return not (lflag & termios.ICANON) and not (lflag & termios.ECHO)

    def finish(self):
        """Reads to the end and reaps the program; one still waiting for a key (a failed step) is
        killed, so a failure never hangs the test."""
        deadline = time.monotonic() + TIMEOUT
        while self._read(deadline):
            pass
        pid, self.status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            time.sleep(1)
            pid, self.status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        restored = not self.raw_mode()
        os.close(self.fd)
        return restored

    def text(self):
        return self.out.decode("utf-8", "replace").replace("\r\n", "\n")


def prompt(n):
    return rb"\[%d/36\][^\n]*\n[^\n]*: " % n


def answer_items(s, first, last, key, since=0):
    """Answers items first..last with `key`, each after its prompt (the first one searched for from
    output offset `since`); returns True if all were asked."""
    pos = since
    for n in range(first, last + 1):
        m = s.expect(prompt(n), pos)
        if not m:
            return False
        pos = m.end()
        s.send(key)
    return True


tmp = tempfile.mkdtemp()
pack = os.path.join(SRC, "examples/text-packs/ecr-r.example.json")

# --- 1. answer, back, skip, a wrong key, the rest; scores and plan shown, terminal restored -------
out_json = os.path.join(tmp, "take.json")
s = Session(["take", "ecr-r", "--text-pack", pack, "--start", "2025-03-01", "--format", "json", "-o", out_json])
m = s.expect(prompt(1), 0)
check("first prompt shows item 1 with the pack's wording", m is not None and b"Example statement 1" in m.group(0), s.text()[-300:])
check("the terminal is in one-key mode while asking", m is not None and s.raw_mode())
s.send(b"b")  # back on the first item: stays there and says so
m = s.expect(rb"\(this is the first item\)[^\[]*" + prompt(1), m.end() if m else 0)
check("b on the first item stays on item 1", m is not None, s.text()[-300:])
s.send(b"4")
m = s.expect(prompt(2), m.end() if m else 0)
check("a number answers and moves on without Enter", m is not None, s.text()[-300:])
s.send(b"b")
m = s.expect(prompt(1), m.end() if m else 0)
check("b goes back to item 1 and shows its answer", m is not None and b"(now 4)" in m.group(0), s.text()[-300:])
s.send(b"5")
m = s.expect(prompt(2), m.end() if m else 0)
s.send(b"s")
m = s.expect(prompt(3), m.end() if m else 0)
check("s skips item 2", m is not None, s.text()[-300:])
for wrong in (b"x", b"9", b"0"):  # 9 and 0 are outside 1..7
    s.send(wrong)
    m = s.expect(rb"Please press 1-7, b, s or q\.[^\[]*" + prompt(3), m.end() if m else 0)
    check("wrong key %r is refused and item 3 asked again" % wrong, m is not None, s.text()[-300:])
check("items 3..36 asked in turn", m is not None and answer_items(s, 3, 36, b"4", m.start()), s.text()[-300:])
restored = s.finish()
check("exit 0", os.waitstatus_to_exitcode(s.status) == 0, str(s.status))
check("terminal restored (line editing and echo back on)", restored)
try:
    j = json.load(open(out_json))
    anx = [x for x in j["result"]["scales"] if x["id"] == "anxiety"][0]
    avo = [x for x in j["result"]["scales"] if x["id"] == "avoidance"][0]
    # ECR-R anxiety = items 1-18, none reversed among those answered differently: q1 = 5 (answered 4,
    # then back and 5), q2 skipped, q3..q18 = 4 (q9 and q11 are reverse-keyed: 8 - 4 = 4).
    check("anxiety = (5 + 16 x 4) / 17 from 17 answers", anx["answered"] == 17 and abs(anx["raw"] - 69 / 17) < 1e-9, str(anx))
    check("avoidance = 4 from all 18 answers", avo["answered"] == 18 and abs(avo["raw"] - 4) < 1e-9, str(avo))
    check("the plan came with it", bool(j["plan"]["focus"]) and "not a diagnosis" in j["plan"]["disclaimer"])
except Exception as e:  # noqa: BLE001 - any failure to read the result is a test failure
    check("result JSON written", False, repr(e))

# --- 2. the text shown on the terminal: scores, profile with confidence, care first --------------
s = Session(["take", "ecr-r", "--start", "2025-03-01"])
check("all 36 asked without a pack", answer_items(s, 1, 36, b"7"), s.text()[-300:])
restored = s.finish()
t = s.text()
check("exit 0 (text)", os.waitstatus_to_exitcode(s.status) == 0, str(s.status))
check("terminal restored (text)", restored)
check("notice: no text pack", "no text pack given" in t)
# 36 answers of 7: anxiety items 9 and 11 are reverse-keyed (8 - 7 = 1): (16 x 7 + 2) / 18 = 6.33.
check("scores shown, by their labels", re.search(r"Attachment-related anxiety\s+6\.33\s+\(18 of 18 items answered\)", t) is not None, t[-2000:])
check("how sure shown", "How sure:" in t)
check("not a diagnosis", "not a diagnosis" in t)
help_at, focus_at = t.find("You deserve support with this"), t.find("Where to start")
check("care: support comes before the focus steps", 0 <= help_at < focus_at, "%d %d" % (help_at, focus_at))

# --- 3. q with answers given asks first; n goes on, y quits: exit 8, nothing scored ----------------
s = Session(["take", "ecr-r"])
m = s.expect(prompt(3), 0) if answer_items(s, 1, 2, b"4") else None
check("q: asked up to item 3", m is not None, s.text()[-300:])
s.send(b"q")
ask = rb"Quit now\? Your 2 answers so far will not be kept\. Press y to quit, any other key to go on: "
m = s.expect(ask, m.end() if m else 0)
check("q with 2 answers asks before discarding them", m is not None, s.text()[-300:])
s.send(b"n")
m = s.expect(prompt(3), m.end() if m else 0)
check("q, then n: back at item 3", m is not None, s.text()[-300:])
s.send(b"q")
m = s.expect(ask, m.end() if m else 0)
s.send(b"y")
restored = s.finish()
t = s.text()
check("q: exit 8", os.waitstatus_to_exitcode(s.status) == 8, str(s.status))
check("q: says nothing was scored", "nothing was scored or saved" in t)
check("q: no scores shown", "Your scores" not in t)
check("q: terminal restored", restored)

# --- 4. Ctrl-D quits the same way (no answers yet: nothing to lose, so no question) ----------------
s = Session(["take", "ecr-r"])
m = s.expect(prompt(1), 0)
s.send(b"\x04")
restored = s.finish()
check("Ctrl-D with no answers: no question asked", "Quit now?" not in s.text())
check("Ctrl-D: exit 8", os.waitstatus_to_exitcode(s.status) == 8, str(s.status))
check("Ctrl-D: terminal restored", restored)

# --- 4b. a digit followed by Enter (the habit of a form): the Enter is not an answer, and the prompt
# is not repeated with "Please press" --------------------------------------------------------------
s = Session(["take", "ecr-r"])
m = s.expect(prompt(1), 0)
for n in range(1, 4):
    s.send(b"3\r")
    m = s.expect(prompt(n + 1), m.end() if m else 0)
    check("digit + Enter on item %d moves to item %d" % (n, n + 1), m is not None, s.text()[-300:])
check("digit + Enter: no wrong-key message", "Please press" not in s.text())
check("digit + Enter: item 2 asked once", s.text().count("[2/36]") == 1)
s.send(b"\x04")
m = s.expect(rb"Quit now\? Your 3 answers", m.end() if m else 0)
check("Ctrl-D with answers asks too", m is not None, s.text()[-300:])
s.send(b"y")
s.finish()
check("Ctrl-D, then y: exit 8", os.waitstatus_to_exitcode(s.status) == 8, str(s.status))

# --- 5. Ctrl-C: the program dies of SIGINT, but leaves the terminal as it found it ---------------
s = Session(["take", "ecr-r"])
m = s.expect(prompt(2), 0) if answer_items(s, 1, 1, b"3") else None
raw_before = s.raw_mode()
s.send(b"\x03")
restored = s.finish()
check("Ctrl-C: ends by SIGINT", os.WIFSIGNALED(s.status) and os.WTERMSIG(s.status) == signal.SIGINT, str(s.status))
check("Ctrl-C: terminal was raw, and is restored", raw_before and restored)

# --- 6. take --adaptive in one-key mode: the NumPy reference's items asked in its order (case 0 of
# tests/reference/cat_sequences.json), a wrong key and b (drop the last answer) on the way; the same
# theta in the result; q with answers asks first; the terminal restored -----------------------------
fixture = json.load(open(os.path.join(SRC, "tests/reference/cat_sequences.json")))["cases"][0]
out_json = os.path.join(tmp, "adaptive.json")
s = Session(["take", "ecr", "--adaptive", "--format", "json", "-o", out_json])
pos, asked_ok = 0, True
for n, item in enumerate(fixture["items"], start=1):
    m = s.expect(rb"\[%d\] [^\n]*\n[^\n]*: " % n, pos)
    if not m:
        asked_ok = False
        break
    pos = m.end()
    if n == 2:  # a wrong key, then an answer taken back with b: item 2 is asked again
        s.send(b"x")
        m = s.expect(rb"Please press 1-5, b, s or q\.[^\[]*\[2\] ", pos)
        s.send(b"1")
        m = m and s.expect(rb"\[3\] ", m.end())
        s.send(b"b")
        m = m and s.expect(rb"\[2\] [^\n]*\n[^\n]*: ", m.end())
        check("adaptive: a wrong key is refused, b takes the last answer back", m is not None and s.raw_mode(), s.text()[-300:])
        pos = m.end() if m else pos
    s.send(str(fixture["answers"][item]).encode())
check("adaptive: the reference's %d items asked in turn" % len(fixture["items"]), asked_ok, s.text()[-300:])
restored = s.finish()
check("adaptive: exit 0, terminal restored", os.waitstatus_to_exitcode(s.status) == 0 and restored, str(s.status))
try:
    got = json.load(open(out_json))["adaptive"]
    check("adaptive: the items of the reference, in order", [a["item"] for a in got["answers"]] == fixture["items"])
    check("adaptive: theta and SE of the reference (1e-6)", all(
        abs(got["scales"][k]["theta"] - v["theta"]) < 1e-6 and abs(got["scales"][k]["theta_se"] - v["se"]) < 1e-6
        for k, v in fixture["scales"].items()), str(got["scales"]))
except Exception as e:  # noqa: BLE001 - any failure to read the result is a test failure
    check("adaptive: result JSON written", False, repr(e))
s = Session(["take", "ecr", "--adaptive"])
m = s.expect(rb"\[1\] [^\n]*\n[^\n]*: ", 0)
s.send(b"3")
m = m and s.expect(rb"\[2\] [^\n]*\n[^\n]*: ", m.end())
s.send(b"q")
m = m and s.expect(rb"Quit now\? Your 1 answer so far will not be kept", m.end())
s.send(b"y")
restored = s.finish()
check("adaptive: q after one answer asks, y quits: exit 8, terminal restored",
      m is not None and os.waitstatus_to_exitcode(s.status) == 8 and restored, s.text()[-300:])

print("take in a terminal: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
