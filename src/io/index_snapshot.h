#ifndef IZDE_IO_INDEX_SNAPSHOT_H_
#define IZDE_IO_INDEX_SNAPSHOT_H_

// The name index kept on disk between runs (docs/search.md "Index snapshot"), so that `izde
// search`, `match`, `dedupe` and `serve` start without analysing every name of the registry
// again. The file ("DB.index" beside a SQLite database) holds match::CandidateIndex's
// snapshot bytes with what they were made from: the engine (EngineFingerprint), the
// database's change position and the change at it, and the persons left out; a checksum
// covers it all. It holds every name form: the same sensitivity as the database (mode 0600).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "match/candidate_index.h"
#include "registry/places.h"
#include "registry/store.h"

namespace izde::io {

// "PATH.index" for a SQLite database at PATH; empty for other backends (PostgreSQL servers opt
// in with a path of their own: several servers may share the database, not the file). Where a
// program keeps the snapshot is its own choice, passed in IndexSnapshotOptions::path (`izde`:
// this, unless --index-cache PATH or --no-index-cache; the server: ServerOptions).
std::string DefaultIndexSnapshotPath(const registry::Store& store);

// The engine that analysed the names: the running program's GNU build id (a hash the linker
// computes over the whole linked file: the names/ and match/ code and the data/ rule tables
// compiled into it; a hash of the program's file where there is none) and the version of the
// ICU library it runs with (whose transliterations are not compiled in). Any other build, or
// another ICU, gives another fingerprint, so that no snapshot is read by an engine that would
// analyse names otherwise. Computed once per process; empty when the program can be neither
// identified nor read, and then no snapshot is used.
const std::string& EngineFingerprint();

struct IndexSnapshotOptions {
  std::string path;         // the snapshot file; empty: build from the store, keep nothing
  std::string fingerprint;  // of the engine; empty: EngineFingerprint()
  int threads = 1;          // for analysing names
  // Called as a build goes (persons done, persons in the store); not for a snapshot load.
  std::function<void(int64_t, int64_t)> progress;
  // The caller's own section of the file (the server keeps its catalog's filter rows there),
  // which the staleness checks of the index cover too: `save_extra` gives its bytes when the
  // file is written (unset: none); `load_extra` sees them (empty when the file has none)
  // when a snapshot is read, before `refreshed` is called for each person that a change after
  // the snapshot's position names (nullptr when the person is gone), and before the file is
  // written anew. A snapshot found unusable after `load_extra` is followed by a build (and
  // `visit`), as without one. Errors of `refreshed` are the store's, returned by LoadIndex.
  std::function<std::string()> save_extra;
  std::function<void(std::string_view)> load_extra;
  std::function<Status(int64_t, const registry::Person*)> refreshed;
};

struct IndexLoadReport {
  bool from_snapshot = false;   // the index came from the file (refreshed), not from a build
  std::string rebuilt_because;  // why the file was not used: "no snapshot", "...": or empty
  int64_t indexed = 0;          // persons in the index
  int64_t skipped = 0;          // persons whose names give no search key
  int64_t refreshed = 0;        // persons re-read for changes after the snapshot
  // The change position the index reflects (every change up to it is in): the snapshot's
  // after a load, the one read before the scan after a build. 0 when the store keeps none.
  int64_t position = 0;
  std::vector<int64_t> left_out;  // ids of the persons whose names give no key (sorted)
  bool written = false;           // the file was (re)written
  std::string write_error;        // why writing it failed (the index is still complete)
  double load_s = 0;              // reading and checking the file, refresh included
  double build_s = 0;             // scanning the store and analysing every name
  double write_s = 0;
};

// Fills `index` (an empty one) with every person of `store`.
// When options.path names a snapshot made by the same engine (options.fingerprint) from this
// database (the change at its position is still there), it is loaded, and the persons named
// by changes committed after its position are read again (removed when gone); if anything is
// odd (no file, a bad checksum, a truncated file, another engine, another database or a
// history that diverged, persons changed without a change entry), the index is built from
// the store as without a snapshot. When the index was built or refreshed, the snapshot is
// then written anew (temp file, fsync, rename; mode 0600): a failed write is reported in
// `write_error`, not as an error. With an empty path the index is just built.
// `visit` (if set) sees every person of the store when the index is built, in the build's
// own scan (the server's catalog fills its rows there); it is not called on a snapshot load.
// Errors: those of the store's reads.
Result<IndexLoadReport> LoadIndex(registry::Store& store, const registry::Gazetteer& places,
                                  match::CandidateIndex& index, const IndexSnapshotOptions& options,
                                  const registry::PersonVisitor& visit = nullptr);

// The lower half of LoadIndex, for tests and tools: writes `index` as a snapshot of `store` at
// change `position` (0: none yet), atomically, mode 0600.
// `extra`: the caller's section (IndexSnapshotOptions::save_extra), empty for none.
Status WriteIndexSnapshot(registry::Store& store, const match::CandidateIndex& index,
                          int64_t position, const std::vector<int64_t>& skipped,
                          const std::string& path, const std::string& fingerprint,
                          std::string_view extra = {});

}  // namespace izde::io

#endif  // IZDE_IO_INDEX_SNAPSHOT_H_
