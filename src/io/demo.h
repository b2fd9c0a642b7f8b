#ifndef IZDE_IO_DEMO_H_
#define IZDE_IO_DEMO_H_

// Synthetic but realistic registry content for demos, tests and benchmarks.
//
// Never real people: every name is a given name combined at random with a father's name from
// the hand-written tables in data/demo/, every contact is from a fictional range.
// Deterministic: the same options give the same records on every platform and standard
// library (the generator uses its own PRNG and integer ranges, not <random>'s distributions).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "registry/places.h"
#include "registry/registry.h"
#include "registry/relation.h"
#include "registry/testimony.h"

namespace izde::io {

struct DemoOptions {
  int64_t persons = 1000;
  uint64_t seed = 1;
  // Persons written per Registry::ImportPersons call (one transaction each); memory use of
  // PopulateDemo is bounded by it.
  int64_t batch_size = 20'000;
};

// One generated person and its event history, in chronological order.
struct DemoPerson {
  registry::PersonImport row;
  // When set, this person is kin of the person generated just before it, as in
  // "this person is <kind> of the previous one" (kSibling, kSpouse, kChild, kParent).
  // Kin share what families share: a father's name for siblings, a hometown.
  std::optional<registry::RelationKind> kin_of_previous;
};

// Yields options.persons synthetic persons, one at a time, with memory independent of the
// count. Pure: no I/O, no registry.
// Thread safety: an instance belongs to one thread; separate instances are independent.
class DemoGenerator {
 public:
  // `places` supplies hometown divisions; when it is null or empty the generator uses the
  // county codes of data/demo/hometowns.tsv as they are (real NBS codes). Otherwise only
  // codes that `places` knows are used, and event places without a county of their own
  // (border crossings) get the code `places` resolves them to, as
  // Registry::NormalizeEvent would. The output is deterministic for the options and the
  // gazetteer's content. `places` must outlive the generator.
  explicit DemoGenerator(const DemoOptions& options, const registry::Gazetteer* places = nullptr);
  ~DemoGenerator();
  DemoGenerator(const DemoGenerator&) = delete;
  DemoGenerator& operator=(const DemoGenerator&) = delete;

  // Fills `out` with the next person and returns true; returns false (and leaves `out`
  // alone) once options.persons persons have been generated.
  bool Next(DemoPerson& out);

  int64_t generated() const;

  // What a testimony generator needs to know about a person already generated.
  struct PersonFacts {
    int64_t person_id = 0;
    registry::Gender gender = registry::Gender::kUnknown;
    std::string_view ethnicity;
    int detention_year = 0;  // 0 when no detention was recorded
    bool kin_of_previous = false;
  };

  // Testimonies of relatives about the given persons (in generation order, so that kin
  // stand next to each other): each family group gets one or more testimonies, each
  // mentioning 1-3 of its members. Deterministic for the seed and the facts given, and
  // independent of the person stream's state.
  std::vector<registry::Testimony> MakeTestimonies(std::span<const PersonFacts> persons);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Extracts the facts MakeTestimonies needs from a generated person.
DemoGenerator::PersonFacts FactsOf(const DemoPerson& person);

struct DemoSummary {
  int64_t persons = 0;
  int64_t events = 0;
  int64_t testimonies = 0;
  int64_t relations = 0;
};

// Generates options.persons persons and writes them through `registry`: persons with their
// events in batches of options.batch_size (each batch one ImportPersons transaction), then
// the batch's testimonies (one ImportTestimonies transaction) and the relations between kin.
// Hometowns come from registry.places(). `progress` gets (persons written, total).
// A failed batch stops the run and returns its Status; earlier batches stay written.
Result<DemoSummary> PopulateDemo(registry::Registry& registry, const DemoOptions& options,
                                 const registry::Actor& actor,
                                 const registry::ProgressFn& progress = {});

}  // namespace izde::io

#endif  // IZDE_IO_DEMO_H_
