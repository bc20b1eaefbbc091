//===- ParallelForTest.cpp - Host tasks on the OpenMP runtime's threads ---===//
//
// runtime::parallelFor shares quant-calibrate's statistics out to the
// threads of the compiled loops. Every task must run exactly once: on one
// thread before the runtime is loaded, on the team after, and one after the
// other when called from inside a team (whose width is then 1).
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/Executable.h"

#include "llvm/Support/DynamicLibrary.h"

#include "gtest/gtest.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace mlir::qnt::runtime;

namespace {

/// How often each of `tasks` tasks ran, and on how many threads.
struct Tally {
  std::vector<std::atomic<int>> runs;
  std::mutex mutex;
  std::set<std::thread::id> threads;
  explicit Tally(unsigned tasks) : runs(tasks) {}
  void run(unsigned task) {
    runs[task].fetch_add(1);
    std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
  }
  bool eachOnce() const {
    for (const std::atomic<int> &count : runs)
      if (count.load() != 1)
        return false;
    return true;
  }
};

TEST(ParallelForTest, EveryTaskOnceOnTheTeam) {
  std::string error;
  ASSERT_FALSE(
      llvm::sys::DynamicLibrary::LoadLibraryPermanently(QUANT_LIBOMP, &error))
      << error;
  for (unsigned tasks : {0u, 1u, 2u, 7u}) {
    Tally tally(tasks);
    parallelFor(tasks, [&](unsigned task) { tally.run(task); });
    EXPECT_TRUE(tally.eachOnce()) << tasks;
  }

  // Two tasks go to two threads when the runtime has them.
  auto *maxThreads = reinterpret_cast<int (*)()>(
      llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(
          "omp_get_max_threads"));
  ASSERT_NE(maxThreads, nullptr);
  EXPECT_EQ(getParallelWidth(), unsigned(maxThreads()));
  Tally pair(2);
  parallelFor(2, [&](unsigned task) { pair.run(task); });
  EXPECT_TRUE(pair.eachOnce());
  EXPECT_EQ(pair.threads.size(), maxThreads() > 1 ? 2u : 1u);

  // Inside a team, the inner tasks run one after the other on each thread.
  Tally outer(3);
  std::vector<std::unique_ptr<Tally>> inner;
  for (int i = 0; i < 3; ++i)
    inner.push_back(std::make_unique<Tally>(5));
  parallelFor(3, [&](unsigned task) {
    outer.run(task);
    EXPECT_EQ(getParallelWidth(), 1u);
    std::thread::id self = std::this_thread::get_id();
    parallelFor(5, [&](unsigned subtask) {
      EXPECT_EQ(std::this_thread::get_id(), self);
      inner[task]->run(subtask);
    });
  });
  EXPECT_TRUE(outer.eachOnce());
  for (const auto &tally : inner)
    EXPECT_TRUE(tally->eachOnce());
}

} // namespace
