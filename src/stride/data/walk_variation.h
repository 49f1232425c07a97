#pragma once
// What changes between two recordings of the same subject: the carried bag or the coat, the walking
// speed and start phase, where on the walkway the subject walks, and a little of the gait itself.
#include <cstdint>

#include "stride/data/condition.h"
#include "stride/data/subject.h"

namespace stride::data {

enum class BagKind { none, backpack, shoulder_bag, handbag };

struct Outfit {
  BagKind bag = BagKind::none;
  int bag_side = 1;       // +1 left, -1 right (shoulder bag and handbag)
  double bag_size = 1.0;  // scale of the bag's nominal dimensions
  double bag_grey = 0.3;
  bool coat = false;
  double coat_length = 0.8;  // hem depth below the hip joints, in thigh lengths
  double coat_flare = 0.04;  // extra width at the hem, metres
  double coat_thickness = 0.03;
  double coat_grey = 0.25;
  bool shoe_covers = false;
};

struct WalkVariation {
  GaitStyle gait;  // the subject's gait with this recording's speed and small changes
  Outfit outfit;
  double start_phase = 0.0;  // gait phase (cycles) at the middle frame
  double path_offset = 0.0;  // sideways offset of the walking line, metres
  double heading = 0.0;      // deviation of the walking direction, radians
};

// The variation of recording (condition, sequence) of `subject`; independent of the camera, since
// like CASIA-B all views of one recording show the same walk.
WalkVariation sample_walk_variation(uint64_t seed, int subject_id, const Subject& subject, Condition condition,
                                    int sequence);

}  // namespace stride::data
