#pragma once
// Recording conditions of the gait datasets: CASIA-B has normal, bag (any bag) and coat; TUM-GAID
// has normal, backpack and coating shoes.
namespace stride::data {

enum class Condition { normal, bag, coat, backpack, shoe_covers };

}  // namespace stride::data
