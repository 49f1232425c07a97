#pragma once
// The walker in the world: the posed body of one recording at one instant.
#include "stride/data/body_shape.h"
#include "stride/data/subject.h"
#include "stride/data/walk_variation.h"

namespace stride::data {

// The body `seconds` after the middle of the recording. The walker advances along +x (turned by the
// recording's heading) through the origin at time 0, with its lowest shoe on the floor z = 0.
Body walker_at(const Subject& subject, const WalkVariation& walk, double seconds);

}  // namespace stride::data
