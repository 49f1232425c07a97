#include "stride/train/trainer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "stride/core/atomic_file.h"
#include "stride/core/content_hash.h"
#include "stride/core/cpu_count.h"
#include "stride/core/error.h"
#include "stride/ir/subgraph.h"
#include "stride/train/reusing_cpu_allocator.h"
#include "stride/train/triplet_loss.h"

namespace stride::train {

namespace {

const char* const kProbabilities = "probabilities";

// The value a softmax head normalises, when the model has one.
std::optional<std::string> softmax_logits(const Graph& model) {
  for (const ValueInfo& out : model.outputs)
    if (out.name == kProbabilities)
      if (const Node* softmax = model.producer(out.name); softmax && softmax->op_type == "Softmax")
        return softmax->inputs.at(0);
  return std::nullopt;
}

int64_t softmax_classes(const Graph& model) {
  for (const ValueInfo& out : model.outputs)
    if (out.name == kProbabilities && !out.shape.empty()) return out.shape.back();
  return 0;
}

// Random order of 0..n-1.
std::vector<size_t> shuffled(size_t n, Random& random) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[random.next_u64() % i]);
  return order;
}

torch::Tensor scalar_tensor(double value) { return torch::tensor({value}, torch::kFloat64); }

}  // namespace

Trainer::Trainer(Graph model, TrainingSet data, const TrainOptions& options)
    : model_(std::move(model)), data_(std::move(data)), options_(options), random_(options.seed) {
  if (data_.material.size() != data_.labels.size() || data_.material.empty())
    fail("training needs at least one recording, each with its class");
  if (model_.inputs.size() != 1) fail("model '{}': training needs a model with one input", model_.name);
  input_name_ = model_.inputs.front().name;

  const std::set<int> classes(data_.labels.begin(), data_.labels.end());
  class_labels_.assign(classes.begin(), classes.end());
  std::map<int, int64_t> class_of;
  for (size_t c = 0; c < class_labels_.size(); ++c) class_of[class_labels_[c]] = static_cast<int64_t>(c);
  for (int s : data_.labels) labels_.push_back(class_of.at(s));

  if (auto logits = softmax_logits(model_)) {
    objective_ = Objective::cross_entropy;
    output_name_ = *logits;
    const int64_t classes = softmax_classes(model_);
    const char* what = data_.class_names.empty() ? "subjects" : "activities";
    if (classes < static_cast<int64_t>(class_labels_.size()))
      fail(
          "model '{}' has {} softmax classes but the training set has {} {}: rebuild it with "
          "'stride zoo build ... --classes {}'",
          model_.name, classes, class_labels_.size(), what, class_labels_.size());
  } else {
    objective_ = Objective::triplet;
    output_name_ = pipeline::feature_output_of(model_);
    if (class_labels_.size() < 2) fail("triplet training needs recordings of at least two subjects");
    if (options_.subjects_per_batch < 2 || options_.recordings_per_subject < 2)
      fail("triplet batches need at least 2 subjects × 2 recordings, got {} × {}", options_.subjects_per_batch,
           options_.recordings_per_subject);
  }
  // 0 epochs: the model as it is, with its head labelled (an untrained baseline).
  if (options_.epochs < 0) fail("epochs must be 0 or more, got {}", options_.epochs);
  if (options_.batch_size < 1) fail("batch size must be at least 1, got {}", options_.batch_size);

  use_reusing_cpu_allocator();
  // LibTorch's thread count is process-wide; the trainer owns it while it trains.
  threads_ = options_.threads > 0 ? options_.threads : usable_cores();
  torch::set_num_threads(threads_);
  program_ = std::make_unique<TorchProgram>(prune_to_outputs(model_, {output_name_}));
  std::vector<torch::Tensor> parameters;
  for (auto& [name, p] : program_->parameters()) {
    p.set_requires_grad(true);
    parameters.push_back(p);
  }
  const bool recurrent = std::any_of(model_.nodes.begin(), model_.nodes.end(),
                                     [](const Node& n) { return n.op_type == "LSTM"; });
  use_adam_ = options_.optimizer == Optimizer::adam ||
              (options_.optimizer == Optimizer::automatic && (objective_ == Objective::triplet || recurrent));
  learning_rate_ = options_.learning_rate.value_or(use_adam_ && objective_ == Objective::triplet ? 1e-4 : 0.002);
  if (use_adam_)
    optimizer_ = std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(learning_rate_));
  else
    optimizer_ = std::make_unique<torch::optim::SGD>(
        parameters,
        torch::optim::SGDOptions(learning_rate_).momentum(options_.momentum).weight_decay(options_.weight_decay));
  if (learning_rate_ <= 0) fail("the learning rate must be positive, got {}", learning_rate_);
}

Trainer::~Trainer() = default;

std::vector<std::vector<size_t>> Trainer::epoch_batches() {
  std::vector<std::vector<size_t>> batches;
  if (objective_ == Objective::cross_entropy) {
    const std::vector<size_t> order = shuffled(labels_.size(), random_);
    for (size_t at = 0; at < order.size(); at += options_.batch_size)
      batches.emplace_back(order.begin() + at, order.begin() + std::min(order.size(), at + options_.batch_size));
    return batches;
  }
  // P×K batches: about one epoch's worth of recordings in all.
  const size_t per_batch = static_cast<size_t>(options_.subjects_per_batch) * options_.recordings_per_subject;
  const size_t count = std::max<size_t>(1, labels_.size() / per_batch);
  std::vector<std::vector<size_t>> rows_of_class(class_labels_.size());
  for (size_t r = 0; r < labels_.size(); ++r) rows_of_class[labels_[r]].push_back(r);
  for (size_t b = 0; b < count; ++b) {
    std::vector<size_t> rows;
    const std::vector<size_t> classes = shuffled(class_labels_.size(), random_);
    for (size_t c = 0; c < std::min<size_t>(classes.size(), options_.subjects_per_batch); ++c) {
      const std::vector<size_t>& own = rows_of_class[classes[c]];
      const std::vector<size_t> order = shuffled(own.size(), random_);
      for (int k = 0; k < options_.recordings_per_subject; ++k)
        rows.push_back(own.size() >= static_cast<size_t>(options_.recordings_per_subject)
                           ? own[order[k]]
                           : own[random_.next_u64() % own.size()]);
    }
    batches.push_back(std::move(rows));
  }
  return batches;
}

std::optional<EpochReport> Trainer::run_epoch(const std::function<void(const StepReport&)>& on_step,
                                              const std::atomic<bool>& stop) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::vector<size_t>> batches = epoch_batches();
  StepReport report{epoch_ + 1, 0, static_cast<int>(batches.size()), 0, 0};
  double loss_sum = 0, accuracy_sum = 0;
  for (const std::vector<size_t>& rows : batches) {
    if (stop) return std::nullopt;
    std::vector<Tensor> samples;
    std::vector<const Tensor*> pointers;
    std::vector<int64_t> labels;
    for (size_t r : rows) {
      samples.push_back(pipeline::cut_sample(data_.material[r], data_.input, &random_));
      labels.push_back(labels_[r]);
    }
    for (const Tensor& s : samples) pointers.push_back(&s);
    const torch::Tensor inputs = to_torch(pipeline::make_batch(pointers, data_.input));
    const torch::Tensor targets = torch::tensor(labels, torch::kInt64);

    optimizer_->zero_grad();
    const torch::Tensor outputs = program_->forward({{input_name_, inputs}}).at(output_name_);
    torch::Tensor loss;
    double accuracy = 0;
    if (objective_ == Objective::cross_entropy) {
      loss = torch::nn::functional::cross_entropy(outputs, targets);
      accuracy = (outputs.argmax(1) == targets).to(torch::kFloat).mean().item<double>();
    } else {
      loss = batch_all_triplet_loss(outputs, targets, options_.margin).loss;
      accuracy = batch_rank1(outputs, targets);
    }
    loss.backward();
    optimizer_->step();

    const double value = loss.item<double>();
    if (!std::isfinite(value))
      fail("epoch {}, batch {}: the loss is {} — lower the learning rate (now {})", report.epoch, report.step + 1,
           value, learning_rate_);
    loss_sum += value;
    accuracy_sum += accuracy;
    ++report.step;
    report.loss = loss_sum / report.step;
    report.accuracy = accuracy_sum / report.step;
    if (on_step) on_step(report);
  }
  EpochReport epoch{report.epoch, report.loss, report.accuracy, learning_rate_,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  end_epoch(report.loss);
  return epoch;
}

// The plateau schedule (SGD): the rate drops 10× after `plateau_patience` epochs whose smoothed loss
// is not 1 % below the best so far, at most `max_rate_drops` times. The loss of an epoch of a few
// batches is noisy: judged on raw epoch losses, one lucky epoch set a best that later ones could not
// beat, and the rate fell to nothing long before training was done. Adam keeps its rate, as GaitSet
// trains.
void Trainer::end_epoch(double loss) {
  ++epoch_;
  last_loss_ = loss;
  smoothed_loss_ = epoch_ == 1 ? loss : 0.5 * smoothed_loss_ + 0.5 * loss;
  if (epoch_ == 1 || smoothed_loss_ < best_loss_ * 0.99) {
    best_loss_ = smoothed_loss_;
    epochs_without_gain_ = 0;
    return;
  }
  if (use_adam_ || rate_drops_ >= options_.max_rate_drops ||
      ++epochs_without_gain_ < options_.plateau_patience)
    return;
  epochs_without_gain_ = 0;
  ++rate_drops_;
  learning_rate_ /= 10;
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(learning_rate_);
}

Trainer::RunIdentity Trainer::identity() const {
  ContentHash model, data, options;
  for (const auto& [name, tensor] : model_.initializers) model.add(name).add(tensor);
  for (size_t i = 0; i < data_.material.size(); ++i) data.add(data_.material[i]).add(int64_t{data_.labels[i]});
  const TrainOptions& o = options_;
  options.add(int64_t{o.batch_size}).add(int64_t{o.subjects_per_batch}).add(int64_t{o.recordings_per_subject});
  options.add(static_cast<int64_t>(o.seed)).add(&o.momentum, sizeof o.momentum);
  options.add(&o.weight_decay, sizeof o.weight_decay).add(&o.margin, sizeof o.margin);
  options.add(static_cast<int64_t>(o.optimizer));
  return {static_cast<int64_t>(model.value()), static_cast<int64_t>(data.value()),
          static_cast<int64_t>(options.value())};
}

void Trainer::save_checkpoint(const std::filesystem::path& path) const {
  torch::serialize::OutputArchive archive;
  const RunIdentity id = identity();
  archive.write("identity_model", torch::tensor({id.model}));
  archive.write("identity_data", torch::tensor({id.data}));
  archive.write("identity_options", torch::tensor({id.options}));
  int64_t index = 0;
  for (const auto& [name, p] : program_->parameters()) archive.write(fmt::format("p{}", index++), p.detach());
  archive.write("parameter_count", torch::tensor({index}));
  torch::serialize::OutputArchive optimizer;
  optimizer_->save(optimizer);
  archive.write("optimizer", optimizer);
  archive.write("epoch", torch::tensor({static_cast<int64_t>(epoch_)}));
  archive.write("learning_rate", scalar_tensor(learning_rate_));
  archive.write("best_loss", scalar_tensor(best_loss_));
  archive.write("last_loss", scalar_tensor(last_loss_));
  archive.write("smoothed_loss", scalar_tensor(smoothed_loss_));
  archive.write("rate_drops", torch::tensor({static_cast<int64_t>(rate_drops_)}));
  archive.write("epochs_without_gain", torch::tensor({static_cast<int64_t>(epochs_without_gain_)}));
  archive.write("random_state", torch::tensor({static_cast<int64_t>(random_.state())}));
  write_file_atomically(path, [&](std::ostream& out) { archive.save_to(out); });
}

void Trainer::load_checkpoint(const std::filesystem::path& path) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string());
  } catch (const c10::Error& e) {
    fail("{}: not a readable checkpoint ({})", path.string(), e.what_without_backtrace());
  }
  auto read = [&](const std::string& key) {
    torch::Tensor t;
    if (!archive.try_read(key, t)) fail("{}: the checkpoint has no '{}'", path.string(), key);
    return t;
  };
  // Another run's checkpoint (same -o, other data) must not be continued as if it were this one's.
  const RunIdentity id = identity();
  const struct {
    const char* key;
    int64_t expected;
    const char* meaning;
  } parts[] = {{"identity_model", id.model, "the starting model (another file or other weights)"},
               {"identity_data", id.data, "the training data (another dataset, split or input length)"},
               {"identity_options", id.options,
                "the training options (batch sizes, seed, momentum, weight decay or margin)"}};
  for (const auto& part : parts)
    if (read(part.key).item<int64_t>() != part.expected)
      fail("{}: this checkpoint belongs to another run: {} differs; start without --resume, or write this run "
           "elsewhere with -o",
           path.string(), part.meaning);
  const int64_t count = read("parameter_count").item<int64_t>();
  if (count != static_cast<int64_t>(program_->parameters().size()))
    fail("{}: a checkpoint of a model with {} weight tensors, this one has {}", path.string(), count,
         program_->parameters().size());
  int64_t index = 0;
  for (auto& [name, p] : program_->parameters()) {
    const torch::Tensor saved = read(fmt::format("p{}", index++));
    if (!saved.sizes().equals(p.sizes()))
      fail("{}: weight '{}' has shape {} in the checkpoint and {} in the model", path.string(), name,
           fmt::join(saved.sizes(), "x"), fmt::join(p.sizes(), "x"));
    torch::NoGradGuard no_grad;
    p.copy_(saved);
  }
  torch::serialize::InputArchive optimizer;
  if (!archive.try_read("optimizer", optimizer)) fail("{}: the checkpoint has no optimizer state", path.string());
  optimizer_->load(optimizer);
  epoch_ = static_cast<int>(read("epoch").item<int64_t>());
  learning_rate_ = read("learning_rate").item<double>();
  best_loss_ = read("best_loss").item<double>();
  last_loss_ = read("last_loss").item<double>();
  smoothed_loss_ = read("smoothed_loss").item<double>();
  rate_drops_ = static_cast<int>(read("rate_drops").item<int64_t>());
  epochs_without_gain_ = static_cast<int>(read("epochs_without_gain").item<int64_t>());
  random_ = Random(static_cast<uint64_t>(read("random_state").item<int64_t>()));
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(learning_rate_);
}

Graph Trainer::trained_model() const {
  Graph trained = model_;
  program_->write_back(trained);
  trained.metadata["stride.train.objective"] = objective_ == Objective::cross_entropy ? "cross_entropy" : "triplet";
  trained.metadata["stride.train.epochs"] = std::to_string(epoch_);
  trained.metadata["stride.train.final_loss"] = fmt::format("{:.6g}", last_loss_);
  trained.metadata["stride.train.seed"] = std::to_string(options_.seed);
  // What each softmax class stands for, so that evaluation can name them: a subject, or an activity.
  if (objective_ == Objective::cross_entropy && data_.class_names.empty())
    trained.metadata["stride.class_subjects"] = fmt::format("{}", fmt::join(class_labels_, ","));
  if (objective_ == Objective::cross_entropy && !data_.class_names.empty()) {
    std::vector<std::string> names;
    for (int label : class_labels_) names.push_back(data_.class_names.at(static_cast<size_t>(label)));
    trained.metadata["stride.class_names"] = fmt::format("{}", fmt::join(names, ","));
  }
  return trained;
}

}  // namespace stride::train
