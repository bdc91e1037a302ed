#pragma once
// What the C ABI's source files share (attune_c.cpp, attune_c_theta.cpp): the handles behind the
// opaque types of attune.h, and guarded(), which turns any exception into a stable negative code
// plus a thread-local record of the error's full detail, so no C++ exception crosses the C boundary.
#include "attune.h"

#include <attune/attune.hpp>
#include <attune/irt_json.hpp>

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <vector>

struct attune_instrument {
  attune::Instrument instrument;
};
struct attune_plan {
  attune::ScoringPlan plan;
  std::vector<std::string> item_ids;  // plan order, so attune_plan_item_id can hand out borrowed pointers
  std::string method;
};
struct attune_result {
  attune::ScoringPlan plan;  // shared state: keeps to_json valid after the caller frees its plan
  attune::Result result;
};
struct attune_guidance {
  attune::Guidance guidance;
};
struct attune_calibration {
  attune::irt::Bank bank;
  std::vector<std::string> item_ids, scale_ids;
};

namespace attune_c_detail {

struct LastError {
  int code = 0;
  std::string message, reason, expected, file, column_name, item, value, json_path;
  attune_int64 row = -1, line = -1, column = -1;
};

inline LastError& last_error() {
  thread_local LastError e;
  return e;
}

inline void set_error(int code, const char* message) noexcept {
  // Assigning strings can itself throw bad_alloc; then the code survives with an empty message.
  LastError& e = last_error();
  e.code = code;
  e.row = e.line = e.column = -1;
  try {
    e.message = message;
    e.reason = message;
    e.expected.clear();
    e.file.clear();
    e.column_name.clear();
    e.item.clear();
    e.value.clear();
    e.json_path.clear();
  } catch (...) {
  }
}

inline void set_error(const attune::Error& x) noexcept {
  const int code = -static_cast<int>(x.kind());
  set_error(code, "");
  LastError& e = last_error();
  try {
    const attune::Location& w = x.where();
    e.message = x.what();
    e.reason = x.message();
    e.expected = x.expected();
    e.file = w.file;
    e.row = w.row;
    e.line = w.line;
    e.column = w.column;
    e.column_name = w.column_name;
    e.item = w.item;
    e.value = w.value;
    e.json_path = w.json_path;
  } catch (...) {
  }
}

template <class F>
int guarded(F&& body) noexcept {
  try {
    body();
    return ATTUNE_OK;
  } catch (const attune::Error& x) {
    set_error(x);
  } catch (const std::bad_alloc&) {
    set_error(ATTUNE_EINTERNAL, "out of memory");
  } catch (const std::exception& x) {
    set_error(ATTUNE_EINTERNAL, x.what());
  } catch (...) {
    set_error(ATTUNE_EINTERNAL, "unknown exception");
  }
  return last_error().code;
}

inline void need(const void* p, const char* what) {
  if (!p) throw attune::UsageError(std::string(what) + " is NULL", {}, "a valid pointer");
}

inline char* dup_string(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace attune_c_detail
