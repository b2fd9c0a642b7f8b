#ifndef IZDE_HTTP_FOLLOWER_H_
#define IZDE_HTTP_FOLLOWER_H_

// Several `izde serve` processes on one database (docs/server.md, "Several servers"): each
// keeps its catalog in memory and follows what the others commit.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "http/catalog.h"
#include "registry/store.h"

namespace izde::http {

struct FollowerOptions {
  // The longest wait for a wake-up before the follower looks at the change sequence anyway
  // (PostgreSQL's NOTIFY is lost while the listening connection is broken).
  std::chrono::milliseconds poll{250};
  // Changes read per round trip.
  int64_t batch = 256;
};

// Reads the store's change sequence (registry/store.h, "Following changes") and refreshes
// the catalog's row and name index of every person a change names. A change the server made
// itself is refreshed a second time, which is harmless: Refresh re-reads the stored state.
// What the server reads from the store on each request (linkage: the review queue,
// judgements, clusters, lists; users and sessions) needs no following.
// Thread safety: Start from the thread that owns the follower, Stop from any; CatchUp only while
// the background thread is not running. The counters may be read from any thread.
class Follower {
 public:
  // Reads where the change sequence stands. Create it BEFORE the catalog loads, so that what
  // commits during the load is applied again afterwards. kFailedPrecondition when the store
  // keeps no change sequence.
  static Result<std::unique_ptr<Follower>> Create(registry::Store& store, Catalog& catalog,
                                                  FollowerOptions options = {});
  ~Follower();

  // Starts the background thread: wait for a change (or `poll`), CatchUp, again.
  void Start();
  // Ends the wait in progress within one `poll` and joins the thread. Idempotent.
  void Stop();

  // Applies every change committed after position(). On an error the position stays where
  // the failed batch began, so that the batch is read again next time.
  Status CatchUp();

  int64_t position() const { return position_.load(); }
  // Persons refreshed so far (with repetitions).
  int64_t refreshed() const { return refreshed_.load(); }

 private:
  Follower(registry::Store& store, Catalog& catalog, FollowerOptions options, int64_t position,
           std::unique_ptr<registry::Store::ChangeWatch> watch);
  void Loop();
  // Sleeps `poll`, or less when Stop is called.
  void Pause();

  registry::Store& store_;
  Catalog& catalog_;
  const FollowerOptions options_;
  std::unique_ptr<registry::Store::ChangeWatch> watch_;
  std::atomic<int64_t> position_;
  std::atomic<int64_t> refreshed_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::mutex join_mu_;
  std::thread thread_;  // GUARDED_BY(join_mu_) once started
};

}  // namespace izde::http

#endif  // IZDE_HTTP_FOLLOWER_H_
