#include "stride/cli/output_paths.h"

#include <unistd.h>

#include "stride/core/error.h"
#include "stride/core/usage_error.h"

namespace stride::cli {
namespace {

namespace fs = std::filesystem;

// `path` with every link and "." or ".." resolved, as far as it exists.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::absolute(path).lexically_normal() : r;
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return resolved(a) == resolved(b);
}

// Whether `path` lies anywhere below the folder `folder`.
bool inside(const fs::path& path, const fs::path& folder) {
  const fs::path p = resolved(path), f = resolved(folder);
  auto pi = p.begin(), fi = f.begin();
  for (; fi != f.end(); ++fi, ++pi) {
    if (fi->empty()) continue;  // a trailing separator
    if (pi == p.end() || *pi != *fi) return false;
  }
  return pi != p.end();
}

// The closest folder above `path` that exists (a folder output may create the ones between).
fs::path existing_parent(const fs::path& path) {
  fs::path parent = fs::absolute(path).lexically_normal().parent_path();
  std::error_code ec;
  while (!fs::exists(parent, ec) && parent.has_relative_path()) parent = parent.parent_path();
  return parent;
}

void check_folder_writable(const OutputPath& out, const fs::path& folder) {
  std::error_code ec;
  if (!fs::exists(folder, ec))
    usage_fail("{} {}: the folder {} does not exist", out.option, out.path.string(), folder.string());
  if (!fs::is_directory(folder, ec))
    usage_fail("{} {}: {} is not a folder", out.option, out.path.string(), folder.string());
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    usage_fail("{} {}: the folder {} is not writable", out.option, out.path.string(), folder.string());
}

void check_one(const std::vector<InputPath>& inputs, const OutputPath& out) {
  std::error_code ec;
  const std::string shown = out.path.string();
  if (out.kind == OutputPath::Kind::file) {
    if (fs::is_directory(out.path, ec)) usage_fail("{} {} is a folder; give a file name", out.option, shown);
    check_folder_writable(out, fs::absolute(out.path).lexically_normal().parent_path());
  } else {
    if (fs::exists(out.path, ec) && !fs::is_directory(out.path, ec))
      usage_fail("{} {} is a file; give a folder", out.option, shown);
    check_folder_writable(out, fs::is_directory(out.path, ec) ? fs::absolute(out.path) : existing_parent(out.path));
  }
  for (const InputPath& in : inputs) {
    if (in.path.empty()) continue;
    if (fs::is_directory(in.path, ec)) {
      if (same_file(out.path, in.path) || inside(out.path, in.path))
        usage_fail("{} {} lies inside the input {} {}: write it elsewhere", out.option, shown, in.what,
                   in.path.string());
    } else if (out.kind == OutputPath::Kind::file && same_file(out.path, in.path)) {
      usage_fail("{} {} is the input {}{}: write to another file", out.option, shown, in.what,
                 out.path == in.path ? "" : " " + in.path.string());
    }
  }
}

}  // namespace

void check_output_paths(const std::vector<InputPath>& inputs, const std::vector<OutputPath>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].path.empty()) continue;
    check_one(inputs, outputs[i]);
    for (size_t j = 0; j < i; ++j)
      if (!outputs[j].path.empty() && same_file(outputs[i].path, outputs[j].path))
        usage_fail("{} {} and {} {} are the same file", outputs[j].option, outputs[j].path.string(), outputs[i].option,
                   outputs[i].path.string());
  }
}

}  // namespace stride::cli
