#pragma once
// A fixed set of worker threads fed from one queue. Tasks return futures so the caller can collect
// results in submission order (output keeps input order whatever finishes first).
#include <attune/error.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace attune::io {

class ThreadPool {
 public:
  // When the system refuses a thread, the ones already started are stopped and joined before the
  // LimitError leaves: a joinable std::thread destroyed during unwinding would call std::terminate.
  explicit ThreadPool(unsigned threads) {
    if (threads == 0) threads = 1;
    try {
      for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
    } catch (const std::system_error& e) {
      const std::size_t started = workers_.size();
      stop();
      throw LimitError("cannot start " + std::to_string(threads) + " worker threads: the system allowed " + std::to_string(started) +
                           " (" + e.what() + ")",
                       Location{}, "fewer threads (--threads)");
    }
  }
  ~ThreadPool() { stop(); }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  template <class F>
  auto submit(F f) -> std::future<decltype(f())> {
    auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
    auto fut = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.emplace_back([task] { (*task)(); });
    }
    cv_.notify_one();
    return fut;
  }

 private:
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
  bool stop_ = false;
};

}  // namespace attune::io
