#include "match/linkage.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <utility>

namespace izde::match {
namespace {

uint64_t PairCode(uint32_t left, uint32_t right) {
  return (static_cast<uint64_t>(left) << 32) | right;
}
uint32_t LeftOf(uint64_t code) { return static_cast<uint32_t>(code >> 32); }
uint32_t RightOf(uint64_t code) { return static_cast<uint32_t>(code & 0xffffffffU); }

// SplitMix64: a small generator whose sequence is the same on every platform and standard
// library (std::uniform_int_distribution's is not), so that a seed gives the same model.
class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) (bound > 0); the modulo bias is below 2^-40 for the sizes here.
  uint64_t Below(uint64_t bound) { return Next() % bound; }

 private:
  uint64_t state_;
};

void SortUnique(std::vector<uint64_t>& codes) {
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
}

}  // namespace

Linker::Linker(const Comparator& comparator, size_t left, LinkOptions options)
    : comparator_(comparator),
      left_(std::min(left, comparator.size())),
      options_(std::move(options)) {
  stats_.left = left_;
  stats_.right = comparator_.size() - left_;
  uint64_t left_count = stats_.left;
  stats_.all_pairs = stats_.right == 0 ? left_count * (left_count > 0 ? left_count - 1 : 0) / 2
                                       : left_count * stats_.right;
}

void Linker::Progress(std::string_view stage, int64_t done, int64_t total) const {
  if (options_.progress) options_.progress(stage, done, total);
}

void Linker::FindCandidates() {
  bool dedupe = stats_.right == 0;
  size_t record_count = dedupe ? left_ : comparator_.size();
  std::unordered_map<std::string, std::vector<uint32_t>> blocks;
  for (size_t record = 0; record < record_count; ++record) {
    if (record % 1000 == 0) {
      Progress("blocking", static_cast<int64_t>(record), static_cast<int64_t>(record_count));
    }
    for (std::string& key : comparator_.BlockingKeys(static_cast<uint32_t>(record))) {
      std::vector<uint32_t>& members = blocks[std::move(key)];
      // A record's keys are distinct but the name keys of two fields may coincide.
      if (members.empty() || members.back() != record) {
        members.push_back(static_cast<uint32_t>(record));
      }
    }
  }
  Progress("blocking", static_cast<int64_t>(record_count), static_cast<int64_t>(record_count));
  // Visit blocks in key order, so that nothing depends on the hash map's iteration order.
  std::vector<const std::pair<const std::string, std::vector<uint32_t>>*> ordered;
  for (const auto& block : blocks) {
    if (block.second.size() >= 2) ordered.push_back(&block);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  stats_.blocks = ordered.size();
  std::vector<uint64_t> codes;
  for (const auto* block : ordered) {
    const std::vector<uint32_t>& members = block->second;  // ascending record order
    if (members.size() > options_.max_block) {
      ++stats_.blocks_skipped;
      continue;
    }
    auto first_right =
        std::lower_bound(members.begin(), members.end(), static_cast<uint32_t>(left_));
    if (dedupe) {
      for (size_t first = 0; first < members.size(); ++first) {
        for (size_t second = first + 1; second < members.size(); ++second) {
          codes.push_back(PairCode(members[first], members[second]));
        }
      }
    } else {
      for (auto left_it = members.begin(); left_it != first_right; ++left_it) {
        for (auto right_it = first_right; right_it != members.end(); ++right_it) {
          codes.push_back(PairCode(*left_it, *right_it));
        }
      }
    }
    // Keep memory to the distinct pairs when many blocks repeat the same ones.
    if (codes.size() > (size_t{1} << 25)) SortUnique(codes);
  }
  SortUnique(codes);
  candidates_ = std::move(codes);
  stats_.candidates = candidates_.size();
}

void Linker::Train() {
  FindCandidates();
  size_t field_count = comparator_.fields().size();
  std::vector<int> levels_per_field;
  for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
    levels_per_field.push_back(comparator_.levels(field_idx));
  }

  // The candidates' comparison vectors, kept for scoring.
  levels_.assign(candidates_.size() * field_count, 0);
  adjustments_.assign(candidates_.size(), 0.0F);
  for (size_t pair_idx = 0; pair_idx < candidates_.size(); ++pair_idx) {
    if (pair_idx % 10000 == 0) {
      Progress("comparing", static_cast<int64_t>(pair_idx),
               static_cast<int64_t>(candidates_.size()));
    }
    std::span<int8_t> levels(levels_.data() + pair_idx * field_count, field_count);
    adjustments_[pair_idx] = static_cast<float>(
        comparator_.Compare(LeftOf(candidates_[pair_idx]), RightOf(candidates_[pair_idx]), levels));
  }

  Progress("comparing", static_cast<int64_t>(candidates_.size()),
           static_cast<int64_t>(candidates_.size()));

  // u from random pairs: almost all of them are non-matches. When there are no more pairs than
  // the sample would hold, all of them are compared instead.
  std::vector<int8_t> random_levels;
  bool dedupe = stats_.right == 0;
  bool every_pair = stats_.all_pairs <= options_.u_pairs;
  size_t sample = every_pair ? static_cast<size_t>(stats_.all_pairs) : options_.u_pairs;
  random_levels.reserve(sample * field_count);
  SplitMix random(options_.seed);
  std::vector<int8_t> levels(field_count);
  uint32_t next_first = 0;
  uint32_t next_second = dedupe ? 1 : static_cast<uint32_t>(left_);
  for (size_t sample_idx = 0; sample_idx < sample; ++sample_idx) {
    if (sample_idx % 10000 == 0) {
      Progress("sampling", static_cast<int64_t>(sample_idx), static_cast<int64_t>(sample));
    }
    uint32_t first = 0;
    uint32_t second = 0;
    if (every_pair) {
      first = next_first;
      second = next_second;
      if (++next_second == (dedupe ? left_ : comparator_.size())) {
        ++next_first;
        next_second = dedupe ? next_first + 1 : static_cast<uint32_t>(left_);
      }
    } else if (dedupe) {
      first = static_cast<uint32_t>(random.Below(left_));
      second = static_cast<uint32_t>(random.Below(left_ - 1));
      if (second >= first) ++second;
    } else {
      first = static_cast<uint32_t>(random.Below(left_));
      second = static_cast<uint32_t>(left_ + random.Below(stats_.right));
    }
    comparator_.Compare(first, second, levels);
    random_levels.insert(random_levels.end(), levels.begin(), levels.end());
  }
  Progress("sampling", static_cast<int64_t>(sample), static_cast<int64_t>(sample));
  std::vector<ComparisonPattern> random_patterns = AggregatePatterns(random_levels, field_count);
  std::vector<std::vector<double>> u = LevelFrequencies(random_patterns, levels_per_field, 1.0);

  // m by EM over the candidates.
  std::vector<ComparisonPattern> patterns = AggregatePatterns(levels_, field_count);
  stats_.patterns = patterns.size();
  FsParameters start = StartingParameters(levels_per_field, u, 0.1);
  em_result_ = EstimateByEm(patterns, levels_per_field, start, options_.em);

  parameters_ = em_result_;
  parameters_.u = u;
  double candidates = static_cast<double>(std::max<uint64_t>(stats_.candidates, 1));
  double all_pairs = static_cast<double>(std::max<uint64_t>(stats_.all_pairs, 1));
  parameters_.lambda = std::clamp(em_result_.lambda * candidates / all_pairs, 1e-12, 0.5);
  weights_.clear();
  for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
    std::vector<double> field_weights;
    for (size_t level = 0; level < parameters_.m[field_idx].size(); ++level) {
      field_weights.push_back(
          std::log2(parameters_.m[field_idx][level] / parameters_.u[field_idx][level]));
    }
    weights_.push_back(std::move(field_weights));
  }
}

double Linker::prior_weight() const {
  return std::log2(parameters_.lambda / (1.0 - parameters_.lambda));
}

double Linker::LevelWeight(size_t field, int level) const {
  if (level < 0 || field >= weights_.size()) return 0;
  return weights_[field][static_cast<size_t>(level)];
}

std::vector<ScoredPair> Linker::Pairs(double threshold) const {
  std::vector<ScoredPair> pairs;
  size_t field_count = comparator_.fields().size();
  double prior = prior_weight();
  for (size_t pair_idx = 0; pair_idx < candidates_.size(); ++pair_idx) {
    if (pair_idx % 100000 == 0) {
      Progress("scoring", static_cast<int64_t>(pair_idx), static_cast<int64_t>(candidates_.size()));
    }
    double score = prior + static_cast<double>(adjustments_[pair_idx]);
    for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
      score += LevelWeight(field_idx, levels_[pair_idx * field_count + field_idx]);
    }
    if (score >= threshold) {
      pairs.push_back({LeftOf(candidates_[pair_idx]), RightOf(candidates_[pair_idx]), score});
    }
  }
  Progress("scoring", static_cast<int64_t>(candidates_.size()),
           static_cast<int64_t>(candidates_.size()));
  return pairs;
}

double Linker::Score(uint32_t left, uint32_t right) const {
  size_t field_count = comparator_.fields().size();
  std::vector<int8_t> levels(field_count);
  double score = prior_weight() + comparator_.Compare(left, right, levels);
  for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
    score += LevelWeight(field_idx, levels[field_idx]);
  }
  return score;
}

std::vector<FieldWeight> Linker::Explain(uint32_t left, uint32_t right) const {
  size_t field_count = comparator_.fields().size();
  std::vector<int8_t> levels(field_count);
  std::vector<double> adjustments(field_count);
  comparator_.Compare(left, right, levels, adjustments);
  std::vector<FieldWeight> explanation;
  explanation.push_back({"prior",
                         fmt::format("one pair in {:.0f} is a match", 1.0 / parameters_.lambda),
                         prior_weight()});
  for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
    int level = levels[field_idx];
    FieldWeight line{comparator_.fields()[field_idx].name,
                     comparator_.Describe(left, right, field_idx, level),
                     LevelWeight(field_idx, level) + adjustments[field_idx]};
    if (adjustments[field_idx] != 0) {
      line.value += fmt::format(" (term frequency {:+.1f})", adjustments[field_idx]);
    }
    explanation.push_back(std::move(line));
  }
  return explanation;
}

std::vector<uint32_t> ConnectedComponents(size_t count, std::span<const ScoredPair> pairs) {
  std::vector<uint32_t> parent(count);
  std::iota(parent.begin(), parent.end(), 0U);
  auto find = [&parent](uint32_t node) {
    while (parent[node] != node) {
      parent[node] = parent[parent[node]];
      node = parent[node];
    }
    return node;
  };
  for (const ScoredPair& pair : pairs) {
    uint32_t a = find(pair.left);
    uint32_t b = find(pair.right);
    if (a == b) continue;
    // The smaller index becomes the root, so that roots are each component's first record.
    if (a < b) {
      parent[b] = a;
    } else {
      parent[a] = b;
    }
  }
  std::vector<uint32_t> component(count);
  std::vector<uint32_t> number_of_root(count, UINT32_MAX);
  uint32_t next = 0;
  for (size_t record = 0; record < count; ++record) {
    uint32_t root = find(static_cast<uint32_t>(record));
    if (number_of_root[root] == UINT32_MAX) number_of_root[root] = next++;
    component[record] = number_of_root[root];
  }
  return component;
}

}  // namespace izde::match
