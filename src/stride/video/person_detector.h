#pragma once
// People in a frame, found with what OpenCV gives without downloaded weights: a background model
// (MOG2) whose foreground is cleaned and split into connected blobs, or the HOG people detector
// (Dalal–Triggs, OpenCV's default SVM) for the boxes with the background model's foreground as their
// masks. Either way each detection carries the pixels that belong to it: the tracker's silhouettes.
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/video/background_segm.hpp>
#include <string>
#include <vector>

#include "stride/video/mot_csv.h"

namespace stride::video {

enum class DetectorKind { mog2, hog };
DetectorKind parse_detector(const std::string& name);  // "mog2", "hog"; stride::Error otherwise

struct Detection {
  Box box;
  cv::Mat mask;  // CV_8UC1 of the box's size, 255 where the person is
  double conf = 1;
  cv::Mat appearance;  // appearance_of the masked pixels
};

// What a person looks like, to tell two walkers apart after they crossed: the grey-level histograms
// (16 bins each) of the upper and the lower half of the masked pixels (shirt, trousers), each
// summing to 1 (CV_32FC1, 1x32); zeros for a half without pixels.
cv::Mat appearance_of(const cv::Mat& grey_box, const cv::Mat& mask);
// How unlike two appearances are: the Hellinger (Bhattacharyya) distance averaged over the halves,
// 0 (alike) to 1 (nothing in common).
double appearance_distance(const cv::Mat& a, const cv::Mat& b);

struct DetectorOptions {
  DetectorKind kind = DetectorKind::mog2;
  // A blob smaller than this share of the frame, or shorter than this share of its height, is noise.
  double min_area_share = 0.001;
  double min_height_share = 0.08;
  int history = 300;  // frames the background model remembers
};

class PersonDetector {
 public:
  explicit PersonDetector(const DetectorOptions& options);
  // Detections in `frame` (CV_8UC3); the background model learns from every frame it is given.
  std::vector<Detection> detect(const cv::Mat& frame);
  // The cleaned foreground of the last frame (CV_8UC1, 0/255).
  const cv::Mat& foreground() const { return foreground_; }

 private:
  DetectorOptions options_;
  cv::Ptr<cv::BackgroundSubtractorMOG2> background_;
  cv::HOGDescriptor hog_;
  cv::Mat foreground_;
  cv::Mat grey_;
};

}  // namespace stride::video
