#include "stride/data/walker.h"

#include "stride/data/pose.h"

namespace stride::data {

Body walker_at(const Subject& subject, const WalkVariation& walk, double seconds) {
  const GaitStyle& g = walk.gait;
  const double phase = walk.start_phase + seconds * g.cycles_per_second;
  Body body = build_body(subject.build, pose_at(subject.build, g, phase), walk.outfit, phase);
  // Lifting the body until a shoe touches the floor also produces the vertical bob of walking.
  const double lift = -body.lowest(Material::shoes);
  const Mat3 heading = rotation_z(walk.heading);
  const double travelled = seconds * g.cycles_per_second * g.stride_length;
  body.move(heading, heading * Vec3{travelled, 0, 0} + Vec3{0, walk.path_offset, lift});
  return body;
}

}  // namespace stride::data
