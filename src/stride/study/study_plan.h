#pragma once
// The paper's experiments (Ruiz-Barroso et al. 2022, §5: Tables 3, 4, 6, 8, Figs. 8–9) and Stride's own beside them
// (calibrator choice, pruning sensitivity, measured vs theoretical speed-up, pruning × int8) as a
// list of cells, each one `stride` command. A preset sets the sizes: `quick` fits a 2-core machine
// in minutes, `paper` follows the paper's protocol on the larger procedural sets.
#include <string>
#include <vector>

#include "stride/study/study_cell.h"

namespace stride::study {

// How a model of the study is made, trained and judged.
struct ModelPlan {
  std::string name;         // zoo name: cnn2d, cnn3d, gaitset
  std::string dataset;      // "tum" (optical flow, TUM-GAID layout) or "casia" (silhouettes)
  double width_mult = 1.0;  // channels of the zoo model
  int epochs = 10;
  double learning_rate = 0;              // 0: the trainer's default for the objective
  int finetune_epochs = 5;               // after each pruning
  std::vector<std::string> classifiers;  // the first is the model's own: softmax (flow) or knn (GaitSet)
  // The paper prunes the 2D-CNN and GaitSet (Table 6) and converts the 3D-CNN to 2D instead (Table 8).
  bool pruned = true;
  bool converted_to_2d = false;
  // Seconds on a 2-core machine, for the ETA until the study has timed its own cells.
  double eval_seconds = 10;   // one evaluation over the test subjects
  double epoch_seconds = 10;  // one training epoch
  // Flags every prune of this model adds to the paper's recipe (shown under Table 6).
  std::vector<std::string> prune_flags;
};

struct StudyPreset {
  std::string name;
  std::string casia_preset;  // `stride data synth` presets
  std::string tum_preset;
  int data_seed = 1;  // `stride data synth --seed` of both sets, named under the accuracy tables
  std::vector<ModelPlan> models;
  std::vector<double> prune_ratios;  // Table 6's rows
  double combined_ratio = 0.3;       // pruned, then int8
  std::vector<double> sensitivity_ratios;
  std::vector<int> batches;  // Figs. 8–9
  int warmup = 5;            // the paper's protocol: 5 warm-up, mean of 20
  int runs = 20;
  int calibration_samples = 64;
  // The threads of every cell that trains (CellSpec::fixed_threads): set by the study from
  // --train-threads, never by a preset, since it is a property of the run, not of the protocol.
  int training_threads = 1;
};

std::vector<std::string> preset_names();
// Throws stride::Error naming the presets on an unknown name.
StudyPreset study_preset(const std::string& name);
// Keeps the models named (zoo names); throws on a name the preset does not have.
void keep_models(StudyPreset& preset, const std::vector<std::string>& names);

// The cells, in an order that runs (each after the cells it reads).
std::vector<CellSpec> study_cells(const StudyPreset& preset);

// How the tables name a model's variants: "fp32", "int8", "pruned 30%", "pruned 30% + int8", "3D→2D".
// Cell ids end with these keys: eval/<model>/<key>, bench/<model>/<key>.
std::string variant_key_pruned(double ratio);

}  // namespace stride::study
