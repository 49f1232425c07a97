#pragma once
// A generated walking scene small enough for a test: 320x240 with the full-size scene's framing.
#include "stride/data/walking_scene.h"

namespace stride::testing {

inline data::SceneConfig small_scene(int people, int frames) {
  data::SceneConfig c;
  c.people = people;
  c.width = 320;
  c.height = 240;
  c.focal = 350;
  c.frames = frames;
  return c;
}

}  // namespace stride::testing
