#pragma once
// Which channels of a graph must be removed together (dependency groups), found by following every
// producer's output channels through the graph: a convolution's filters go with the matching input
// channels of every consumer, channels joined by Add/Mul/Concat-along-another-axis are one group,
// and views (Reshape, Flatten, Transpose) move the channel axis or give each channel a block of
// consecutive positions (Flatten into Gemm: H·W inputs per channel). A grouped convolution (g groups
// of several channels) splits both its input's channels and its own filters into g equal runs, each
// of which must keep equally many channels: its `group` attribute stays g and every run of its
// weights keeps the same number of inputs. Anything the analysis does not understand stops a group
// from being pruned, with the node named in the reason.
#include <cstdint>
#include <string>
#include <vector>

#include "stride/ir/graph.h"

namespace stride::compress {

constexpr int kFixedChannels = -1;  // Segment::group of positions no group owns (never removed)

// A run of consecutive channels along an axis, owned by one group (or kFixedChannels).
struct Segment {
  int group = kFixedChannels;
  int64_t channels = 0;
  bool operator==(const Segment&) const = default;
};

// How an axis of `outer · Σ channels · inner` positions is indexed by channels: position p belongs
// to channel (p / inner) mod Σ channels, counted through the segments in order.
struct AxisLayout {
  int64_t outer = 1;
  int64_t inner = 1;
  std::vector<Segment> segments;
  int64_t channels() const;  // Σ segments' channels
  int64_t size() const { return outer * channels() * inner; }
  bool operator==(const AxisLayout&) const = default;
};

// What a sliced tensor axis is to its channels: the filters that make them (what weight criteria
// score), parameters applied to them after (biases, BatchNormalization, depthwise weights,
// per-channel constants), or a consumer's weights that read them.
enum class SliceRole { filter, output, input };

// An initializer's axis whose positions follow a layout: sliced when channels are removed.
struct TensorAxis {
  std::string node;    // the node reading the tensor (for messages)
  std::string tensor;  // initializer name
  int axis = 0;
  AxisLayout layout;
  SliceRole role = SliceRole::input;
  // A grouped convolution's weights on their input axis: axis 0 is `runs` equal runs of filters, and
  // run j reads run j of the layout's channels (so it keeps those of them that survive). 1: plain.
  int64_t runs = 1;
};

// A Reshape whose constant target shape names a channel-carrying dimension.
struct ShapeEdit {
  std::string node;
  int entry = 0;  // index into the target shape
  AxisLayout layout;
};

// A depthwise convolution's `group` attribute, which shrinks with its input channels.
struct GroupAttrEdit {
  std::string node;
  AxisLayout layout;
};

struct ChannelGroup {
  int id = 0;
  int64_t channels = 0;
  std::vector<std::string> producers;  // nodes whose filters (or output neurons) these channels are
  bool dense = false;                  // produced by Gemm/MatMul rather than Conv
  // Grouped convolutions read or make these channels in this many equal runs of consecutive
  // channels: pruning keeps equally many in each run (the least common multiple of their groups).
  int64_t runs = 1;
  std::string blocked;  // why the group cannot be pruned; empty when it can
  bool prunable() const { return blocked.empty(); }
};

struct ChannelGroups {
  std::vector<ChannelGroup> groups;  // id == index
  std::vector<TensorAxis> slices;    // every initializer axis to slice, producers' included

  // The filter slices of one group (each over that group alone).
  std::vector<const TensorAxis*> filters_of(int group) const;
  std::vector<ShapeEdit> shape_edits;
  std::vector<GroupAttrEdit> group_attr_edits;
};

// Analyses `graph` with every unknown input dimension taken as 2. Throws stride::Error when the
// graph's shapes cannot be inferred.
ChannelGroups find_channel_groups(const Graph& graph);

}  // namespace stride::compress
