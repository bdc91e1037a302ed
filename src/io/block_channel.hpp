#pragma once
// Blocks of bytes from a reader thread to the FILE* the batch path reads (TabularInput, a .sav
// file's decoded cells). At most kMaxBlocks blocks of about kBlockBytes wait, so memory stays bounded
// whatever the file's size.
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>

namespace attune::io {

constexpr std::size_t kBlockBytes = 1u << 16;
constexpr std::size_t kMaxBlocks = 32;  // 2 MB: room to go on while the pipeline writes output

struct Channel {
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::string> blocks;
  std::size_t front_pos = 0;
  bool done = false;
  bool cancelled = false;

  // Producer side: false when the reader side has gone away (stop converting).
  bool push(std::string&& block) {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return blocks.size() < kMaxBlocks || cancelled; });
    if (cancelled) return false;
    blocks.push_back(std::move(block));
    cv.notify_all();
    return true;
  }
  void close() {
    std::lock_guard<std::mutex> lk(m);
    done = true;
    cv.notify_all();
  }
  void cancel() {
    std::lock_guard<std::mutex> lk(m);
    cancelled = true;
    cv.notify_all();
  }
  std::size_t read(char* buf, std::size_t n) {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return !blocks.empty() || done; });
    std::size_t got = 0;
    while (got < n && !blocks.empty()) {
      std::string& b = blocks.front();
      const std::size_t take = std::min(n - got, b.size() - front_pos);
      std::memcpy(buf + got, b.data() + front_pos, take);
      got += take;
      front_pos += take;
      if (front_pos == b.size()) {
        blocks.pop_front();
        front_pos = 0;
      }
    }
    cv.notify_all();
    return got;
  }
};


}  // namespace attune::io
