#include "stride/zoo/zoo.h"

#include "stride/core/usage_error.h"
#include "stride/zoo/models.h"

namespace stride {
namespace {

struct ZooModel {
  const char* name;
  const char* description;
  Graph (*build)(const ZooOptions&);
  std::optional<PaperFigures> table2;
};

// Table 2 of Ruiz-Barroso et al. 2022. Its parameter counts cover the feature extractor without the softmax
// layer; see the zoo tests for how they relate to these graphs.
const std::vector<ZooModel>& models() {
  static const std::vector<ZooModel> list = {
      {"cnn2d", "2D-CNN on TUM-GAID optical flow [N,50,60,60]: 4 conv+pool blocks, dense 2048, 1024-d code",
       zoo::build_cnn2d, PaperFigures{"TUM-GAID optical flow", 11, 6.83, 0.68, 2.03}},
      {"cnn3d", "3D-CNN on TUM-GAID optical flow [N,2,25,60,60]: 7 valid Conv3D, 1024-d code", zoo::build_cnn3d,
       PaperFigures{"TUM-GAID optical flow", 8, 9.90, 1.86, 2.69}},
      {"cnn3dto2d", "3D-CNN with each Conv3D split into a per-frame spatial and a temporal Conv2D",
       zoo::build_cnn3dto2d, std::nullopt},
      {"gaitset", "GaitSet on CASIA-B silhouettes [N,30,64,44]: set pooling, MGP, HPP, 62×256 HPM feature",
       zoo::build_gaitset, PaperFigures{"CASIA-B silhouettes", 30, 2.59, 17.69, 6.53}},
      {"har-cnn", "Activity recognition on a UCI HAR window [N,9,128]: three 1-D conv blocks, 64-d feature, 6 activities",
       zoo::build_har_cnn, std::nullopt},
      {"har-lstm", "Activity recognition on a UCI HAR window [N,9,128]: per-step dense 32, two 32-unit LSTMs",
       zoo::build_har_lstm, std::nullopt},
      {"har-cnn-lstm", "Activity recognition on a UCI HAR window [N,9,128]: two 1-D conv blocks into a 32-unit LSTM",
       zoo::build_har_cnn_lstm, std::nullopt},
      {"yowo-lite",
       "two backbones over a silhouette clip [N,16,64,44] (after YOWO): 2-D Darknet-like on the mean frame, 3-D "
       "ResNeXt with grouped convolutions on the clip, fused, softmax over 74 subjects",
       zoo::build_yowo_lite, std::nullopt},
      {"resnet50-gei",
       "ResNet-50 on a CASIA-B gait energy image [N,1,64,64]: 5×5 stem of 16 maps, bottlenecks 3-4-6-3, "
       "2048-d feature, softmax over 124 subjects",
       zoo::build_resnet50_gei, std::nullopt},
      {"l-resnet50-gei",
       "L-ResNet-50 (Wang & Yuan): resnet50-gei with every conv a Ghost module (ratio 2: half the maps by "
       "a cheap depthwise 3×3 conv)",
       zoo::build_l_resnet50_gei, std::nullopt},
  };
  return list;
}

const ZooModel* find_model(std::string_view name) {
  for (const ZooModel& m : models())
    if (name == m.name) return &m;
  return nullptr;
}

}  // namespace

std::vector<ZooEntry> zoo_list() {
  std::vector<ZooEntry> out;
  for (const ZooModel& m : models()) out.push_back({m.name, m.description});
  return out;
}

Graph build_model(std::string_view name, const ZooOptions& options) {
  if (const ZooModel* m = find_model(name)) return m->build(options);
  std::string known;
  for (const ZooModel& m : models()) known += (known.empty() ? "" : ", ") + std::string(m.name);
  usage_fail("unknown zoo model '{}'; the zoo has: {}", name, known);
}

std::optional<PaperFigures> paper_table2(std::string_view name) {
  const ZooModel* m = find_model(name);
  return m ? m->table2 : std::nullopt;
}

}  // namespace stride
