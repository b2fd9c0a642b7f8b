#ifndef IZDE_TESTS_TESTING_SUBSTRING_FINDER_H_
#define IZDE_TESTS_TESTING_SUBSTRING_FINDER_H_

#include <cstdint>
#include <queue>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace izde::testing {

// Finds which of many strings occur anywhere in a text, in one pass over the text
// (Aho-Corasick over bytes), so that "no private value appears in this output" can be checked
// for ten thousand values against megabytes of output.
class SubstringFinder {
 public:
  explicit SubstringFinder(std::vector<std::string> needles) : needles_(std::move(needles)) {
    nodes_.emplace_back();
    for (size_t needle_idx = 0; needle_idx < needles_.size(); ++needle_idx) {
      int node = 0;
      for (char c : needles_[needle_idx]) {
        const auto byte = static_cast<uint8_t>(c);
        int child = Child(node, byte);
        if (child < 0) {
          child = static_cast<int>(nodes_.size());
          nodes_[static_cast<size_t>(node)].next.emplace_back(byte, child);
          nodes_.emplace_back();
        }
        node = child;
      }
      nodes_[static_cast<size_t>(node)].ends.push_back(needle_idx);
    }
    // Failure links, breadth first.
    std::queue<int> queue;
    for (const auto& [byte, child] : nodes_[0].next) queue.push(child);
    while (!queue.empty()) {
      const int node = queue.front();
      queue.pop();
      for (const auto& [byte, child] : nodes_[static_cast<size_t>(node)].next) {
        int fail = nodes_[static_cast<size_t>(node)].fail;
        while (fail > 0 && Child(fail, byte) < 0) fail = nodes_[static_cast<size_t>(fail)].fail;
        const int target = Child(fail, byte);
        Node& entry = nodes_[static_cast<size_t>(child)];
        entry.fail = target >= 0 && target != child ? target : 0;
        const Node& fallback = nodes_[static_cast<size_t>(entry.fail)];
        entry.output = !fallback.ends.empty() ? entry.fail : fallback.output;
        queue.push(child);
      }
    }
  }

  // Indices (into the needles given) of those that occur in `text`, each once, ascending.
  std::vector<size_t> FindIn(std::string_view text) const {
    std::vector<bool> found(needles_.size(), false);
    int node = 0;
    for (char c : text) {
      const auto byte = static_cast<uint8_t>(c);
      while (node > 0 && Child(node, byte) < 0) node = nodes_[static_cast<size_t>(node)].fail;
      const int child = Child(node, byte);
      node = child < 0 ? 0 : child;
      for (int hit = node; hit > 0; hit = nodes_[static_cast<size_t>(hit)].output) {
        for (size_t needle_idx : nodes_[static_cast<size_t>(hit)].ends) found[needle_idx] = true;
      }
    }
    std::vector<size_t> out;
    for (size_t needle_idx = 0; needle_idx < found.size(); ++needle_idx) {
      if (found[needle_idx]) out.push_back(needle_idx);
    }
    return out;
  }

  const std::string& needle(size_t idx) const { return needles_[idx]; }

 private:
  struct Node {
    std::vector<std::pair<uint8_t, int>> next;
    int fail = 0;
    int output = 0;  // the nearest node along the failure links that ends a needle; 0: none
    std::vector<size_t> ends;
  };

  int Child(int node, uint8_t byte) const {
    for (const auto& [edge, child] : nodes_[static_cast<size_t>(node)].next) {
      if (edge == byte) return child;
    }
    return -1;
  }

  std::vector<std::string> needles_;
  std::vector<Node> nodes_;
};

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_SUBSTRING_FINDER_H_
