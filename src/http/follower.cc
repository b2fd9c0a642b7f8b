#include "http/follower.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/ids.h"

namespace izde::http {

Result<std::unique_ptr<Follower>> Follower::Create(registry::Store& store, Catalog& catalog,
                                                   FollowerOptions options) {
  IZDE_ASSIGN_OR_RETURN(int64_t position, store.ChangePosition());
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<registry::Store::ChangeWatch> watch, store.WatchChanges());
  return std::unique_ptr<Follower>(
      new Follower(store, catalog, options, position, std::move(watch)));
}

Follower::Follower(registry::Store& store, Catalog& catalog, FollowerOptions options,
                   int64_t position, std::unique_ptr<registry::Store::ChangeWatch> watch)
    : store_(store),
      catalog_(catalog),
      options_(options),
      watch_(std::move(watch)),
      position_(position) {}

Follower::~Follower() { Stop(); }

void Follower::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void Follower::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::lock_guard joining(join_mu_);  // the server's Stop and its destructor may race
  if (thread_.joinable()) thread_.join();
}

void Follower::Pause() {
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, options_.poll, [this] { return stopping_; });
}

Status Follower::CatchUp() {
  while (true) {
    int64_t from = position_.load();
    IZDE_ASSIGN_OR_RETURN(registry::Store::ChangeBatch batch,
                          store_.ChangesAfter(from, options_.batch));
    if (batch.changes.empty()) return OkStatus();
    // A person named by several entries (an import, a person and its events) is read once.
    std::vector<int64_t> persons;
    for (const registry::Store::Change& change : batch.changes) {
      for (const std::string* text : {&change.entry.person, &change.entry.entity}) {
        Result<int64_t> person = ParseId(IdKind::kPerson, *text);
        if (!text->empty() && person.ok()) persons.push_back(*person);
      }
    }
    std::sort(persons.begin(), persons.end());
    persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
    for (int64_t person_id : persons) {
      IZDE_RETURN_IF_ERROR(catalog_.Refresh(store_, person_id));
      refreshed_.fetch_add(1);
    }
    position_.store(batch.position);
  }
}

void Follower::Loop() {
  bool failing = false;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    Status waited = watch_->Wait(position_.load(), options_.poll);
    Status caught_up = waited.ok() ? CatchUp() : waited;
    // One line when following breaks and one when it resumes, not one per attempt.
    if (!caught_up.ok()) {
      if (!failing) {
        spdlog::warn("not following changes of other servers (retrying): {}", caught_up.ToString());
      }
      failing = true;
      Pause();
    } else if (failing) {
      spdlog::info("following changes of other servers again");
      failing = false;
    }
  }
}

}  // namespace izde::http
