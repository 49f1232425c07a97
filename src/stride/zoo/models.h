#pragma once
// One builder per zoo model, each in its own file; build_model() in zoo.cpp dispatches by name.
#include "stride/zoo/zoo.h"

namespace stride::zoo {

Graph build_cnn2d(const ZooOptions& options);
Graph build_cnn3d(const ZooOptions& options);
Graph build_cnn3dto2d(const ZooOptions& options);
Graph build_gaitset(const ZooOptions& options);
Graph build_har_cnn(const ZooOptions& options);
Graph build_har_lstm(const ZooOptions& options);
Graph build_har_cnn_lstm(const ZooOptions& options);
Graph build_yowo_lite(const ZooOptions& options);
Graph build_resnet50_gei(const ZooOptions& options);
Graph build_l_resnet50_gei(const ZooOptions& options);

}  // namespace stride::zoo
