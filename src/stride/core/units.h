#pragma once
// The units of every figure Stride prints, in one place so that text and tables agree (the
// conventions are stated in docs/measure.md, "Units"): model cost in multiply-accumulates (MACs; in
// text GMAC = 10^9 MACs), speed in GFLOP/s counting one MAC as two floating-point operations,
// memory and file sizes in MiB (2^20 bytes), the energy-delay product in mJ·ms. JSON keeps the
// exact integers (MACs, bytes); these functions are for text and tables only.
#include <string>

namespace stride::units {

// The one spelling of the energy-delay product's unit, for headers and labels.
inline constexpr const char* kEdp = "mJ·ms";

// MACs in units of 10^9.
double gmac(double macs);
// "1.01 GMAC": three significant digits, whatever the size.
std::string format_macs(double macs);
// Floating-point operations per second in units of 10^9: 2 × MACs / seconds.
double gflop_per_second(double macs, double seconds);

// Bytes in units of 2^20.
double mib(double bytes);
// "12.3 MiB" with `decimals` after the point.
std::string format_mib(double bytes, int decimals = 1);

}  // namespace stride::units
