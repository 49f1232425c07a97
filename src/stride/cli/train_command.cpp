// `stride train`: trains a zoo model on a gait dataset with LibTorch autograd and writes the
// trained weights back into an ONNX model.
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/fine_tune.h"
#include "stride/cli/model_io.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/error.h"
#include "stride/core/interrupt.h"
#include "stride/core/usage_error.h"
#include "stride/onnx/onnx_export.h"
#include "stride/train/trainer.h"

namespace stride::cli {
namespace {

namespace fs = std::filesystem;

struct TrainArgs {
  std::string model;
  std::string data;
  std::string output;
  std::string checkpoint;  // default: <output>.checkpoint
  std::string train_on = "train-subjects";
  bool resume = false;
  train::TrainOptions options;
  double learning_rate = 0;  // 0: the objective's default
};

void train_model(TrainArgs args) {
  if (args.learning_rate > 0) args.options.learning_rate = args.learning_rate;
  const fs::path checkpoint =
      args.checkpoint.empty() ? fs::path(args.output + ".checkpoint") : fs::path(args.checkpoint);
  check_output_paths(
      {{"model", args.model}, {"dataset", args.data}},
      {{"-o", args.output}, {args.checkpoint.empty() ? "-o (its checkpoint)" : "--checkpoint", checkpoint}});
  if (args.resume && !fs::exists(checkpoint)) usage_fail("--resume: there is no checkpoint at {}", checkpoint.string());

  const Graph model = load_model(args.model);
  train::Trainer trainer(model, load_training_set(model, args.data, args.train_on, args.options.threads), args.options);
  if (args.resume) {
    trainer.load_checkpoint(checkpoint);
    fmt::print("resumed from {} after epoch {}\n", checkpoint.string(), trainer.epochs_done());
  }
  fmt::print("training {} with {}, {} ({} epochs, learning rate {:g}, {} threads)\n", model.name,
             trainer.objective() == train::Objective::cross_entropy ? "cross-entropy" : "batch-all triplet",
             trainer.uses_adam() ? "Adam" : "SGD",
             args.options.epochs, trainer.learning_rate(), trainer.threads());

  // The first Ctrl-C lets the current batch finish and stops before the next one; a second one
  // ends the process at once. Either way the last checkpoint is whole (it is renamed into place),
  // and no temporary file is left behind.
  const GracefulInterrupt interrupt;
  ProgressBar total("training");
  const char* accuracy_name = trainer.objective() == train::Objective::cross_entropy ? "acc" : "batch rank-1";
  while (trainer.epochs_done() < args.options.epochs) {
    ProgressBar bar(fmt::format("epoch {}/{}", trainer.epochs_done() + 1, args.options.epochs));
    auto epoch = trainer.run_epoch(
        [&](const train::StepReport& s) {
          bar.update(s.step, s.steps, fmt::format("loss {:.4f} {} {:.1f}%", s.loss, accuracy_name, 100 * s.accuracy));
        },
        interrupt.flag());
    if (!epoch) {
      if (trainer.epochs_done() == 0 || !fs::exists(checkpoint))
        fail("interrupted in epoch {}, before any checkpoint was written: nothing to resume",
             trainer.epochs_done() + 1);
      fail("interrupted in epoch {}; {} holds epoch {} intact: continue with --resume", trainer.epochs_done() + 1,
           checkpoint.string(), trainer.epochs_done());
    }
    trainer.save_checkpoint(checkpoint);
    fmt::print("epoch {}: loss {:.4f}, {} {:.1f}%, learning rate {:g}, {:.1f} s\n", epoch->epoch, epoch->loss,
               accuracy_name, 100 * epoch->accuracy, epoch->learning_rate, epoch->seconds);
    std::fflush(stdout);
  }
  save_onnx(trainer.trained_model(), args.output);
  // With no epoch run there is no checkpoint to name (none was written).
  fmt::print("wrote {} (trained {} epochs; this run took {}){}\n", args.output, trainer.epochs_done(),
             clock_time(total.elapsed()), fs::exists(checkpoint) ? "; checkpoint " + checkpoint.string() : "");
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  CLI::App* cmd =
      app.add_subcommand("train", "Train a model on a gait dataset (LibTorch autograd) and write it as ONNX");
  cmd->add_option("model", a->model, "ONNX model to train (from 'stride zoo build')")->required();
  add_data_option(cmd, a->data, "CASIA-B layout for silhouette models, TUM-GAID for flow models")->required();
  cmd->add_option("--output,-o", a->output, "Trained ONNX model to write")->required();
  cmd->add_option("--epochs", a->options.epochs,
                  "Epochs in all (a resumed run continues to this count); 0 writes the model untrained, with the "
                  "subjects its softmax head names: the baseline training is measured against")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option("--lr", a->learning_rate,
                  "Learning rate (default 0.002; 1e-4 with the triplet loss)")
      ->check(positive());
  cmd->add_option("--optimizer", a->options.optimizer,
                  "auto: Adam for the triplet loss and for recurrent (LSTM) models, SGD with momentum otherwise")
      ->transform(CLI::CheckedTransformer(std::map<std::string, train::Optimizer>{{"auto", train::Optimizer::automatic},
                                                                                  {"sgd", train::Optimizer::sgd},
                                                                                  {"adam", train::Optimizer::adam}}))
      ->default_str("auto");
  add_batch_option(cmd, a->options.batch_size, "here, of each training step (cross-entropy)");
  cmd->add_option("--subjects-per-batch", a->options.subjects_per_batch, "P of the triplet P×K batches")
      ->capture_default_str()
      ->check(in_range(2, 1000));
  cmd->add_option("--recordings-per-subject", a->options.recordings_per_subject, "K of the triplet P×K batches")
      ->capture_default_str()
      ->check(in_range(2, 1000));
  cmd->add_option("--margin", a->options.margin, "Triplet margin")->capture_default_str()->check(positive());
  cmd->add_option("--patience", a->options.plateau_patience,
                  "SGD: epochs without a 1 % lower loss before the learning rate drops 10x")
      ->capture_default_str()
      ->check(positive());
  cmd->add_option("--weight-decay", a->options.weight_decay, "SGD weight decay")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option("--train-on", a->train_on,
                  "train-subjects: the protocol's training subjects, every recording; test-gallery: the test "
                  "subjects' gallery recordings only (what a softmax classifier needs to name them)")
      ->capture_default_str();
  add_seed_option(cmd, a->options.seed, "of batch order and sampling");
  add_threads_option(cmd, a->options.threads);
  cmd->add_option("--checkpoint", a->checkpoint,
                  "Checkpoint file, rewritten after every epoch (default OUTPUT.checkpoint)");
  cmd->add_flag("--resume", a->resume, "Continue from the checkpoint");
  cmd->footer(
      "Example:\n"
      "  stride zoo build gaitset -o gaitset.onnx\n"
      "  stride train gaitset.onnx --data data/casia-b-mini --epochs 20 -o gaitset-trained.onnx\n"
      "  stride zoo build cnn2d --classes 17 -o cnn2d.onnx\n"
      "  stride train cnn2d.onnx --data data/tum-gaid-mini --train-on test-gallery --epochs 15 -o cnn2d-trained.onnx\n"
      "  stride zoo build har-lstm -o har-lstm.onnx\n"
      "  stride train har-lstm.onnx --data data/har-mini --epochs 30 -o har-lstm-trained.onnx\n"
      "Ctrl-C stops after the current batch; the last epoch's checkpoint stays whole (--resume continues).");
  cmd->callback([a] { train_model(*a); });
}

}  // namespace stride::cli
