#include "stride/data/walk_variation.h"

#include <cmath>

#include "stride/data/geometry.h"
#include "stride/data/rng.h"

namespace stride::data {
namespace {

constexpr uint64_t kWalkStream = 2;

void carry_bag(Rng& rng, BagKind kind, WalkVariation& v) {
  Outfit& o = v.outfit;
  o.bag = kind;
  o.bag_side = rng.chance(0.5) ? 1 : -1;
  o.bag_size = rng.uniform(0.8, 1.3);
  o.bag_grey = rng.uniform(0.1, 0.7);
  GaitStyle& g = v.gait;
  // The arm that holds or steadies a bag swings less; a backpack pulls the torso forward.
  double& arm = o.bag_side > 0 ? g.left_arm_scale : g.right_arm_scale;
  if (kind == BagKind::handbag) {
    arm *= 0.3;
    g.elbow_rest *= 0.3;
  } else if (kind == BagKind::shoulder_bag) {
    arm *= 0.6;
  } else {
    g.lean += 0.04 * o.bag_size;
  }
}

void wear_coat(Rng& rng, WalkVariation& v) {
  Outfit& o = v.outfit;
  o.coat = true;
  // CASIA-B's coats are winter coats: padded (several centimetres over torso and arms), mostly
  // knee-long, hiding the thighs' swing and stiffening the arms. Thin short coats made the coat
  // condition easier to see through than a bag, the reverse of what the dataset shows.
  o.coat_length = rng.uniform(0.75, 1.2);
  o.coat_flare = rng.uniform(0.03, 0.12);
  o.coat_thickness = rng.uniform(0.04, 0.09);
  o.coat_grey = rng.uniform(0.1, 0.6);
  v.gait.stride_length *= 0.95;
  v.gait.shoulder_swing *= 0.7;
}

}  // namespace

WalkVariation sample_walk_variation(uint64_t seed, int subject_id, const Subject& subject, Condition condition,
                                    int sequence) {
  Rng rng(derive_seed(seed, {kWalkStream, static_cast<uint64_t>(subject_id), static_cast<uint64_t>(condition),
                             static_cast<uint64_t>(sequence)}));
  WalkVariation v;
  v.gait = subject.gait;
  GaitStyle& g = v.gait;
  // Walking faster takes both quicker and longer steps.
  const double speed = rng.gaussian(1.0, 0.04);
  g.cycles_per_second *= std::sqrt(speed);
  g.stride_length *= std::sqrt(speed);
  g.shoulder_swing *= rng.gaussian(1.0, 0.08);
  g.knee_swing *= rng.gaussian(1.0, 0.03);
  g.lean += rng.gaussian(0.0, 0.015);
  g.head_pitch += rng.gaussian(0.0, 0.03);
  v.start_phase = rng.uniform();
  v.path_offset = rng.gaussian(0.0, 0.12);
  v.heading = rng.gaussian(0.0, degrees(2.0));

  switch (condition) {
    case Condition::normal:
      break;
    case Condition::bag: {
      const double pick = rng.uniform();
      carry_bag(rng, pick < 0.4 ? BagKind::backpack : pick < 0.8 ? BagKind::shoulder_bag : BagKind::handbag, v);
      break;
    }
    case Condition::backpack:
      carry_bag(rng, BagKind::backpack, v);
      break;
    case Condition::coat:
      wear_coat(rng, v);
      break;
    case Condition::shoe_covers:
      v.outfit.shoe_covers = true;
      break;
  }
  return v;
}

}  // namespace stride::data
