#include "stride/core/units.h"

#include <fmt/format.h>

namespace stride::units {

double gmac(double macs) { return macs / 1e9; }

std::string format_macs(double macs) { return fmt::format("{:.3g} GMAC", gmac(macs)); }

double gflop_per_second(double macs, double seconds) { return 2 * gmac(macs) / seconds; }

double mib(double bytes) { return bytes / (1024.0 * 1024.0); }

std::string format_mib(double bytes, int decimals) { return fmt::format("{:.{}f} MiB", mib(bytes), decimals); }

}  // namespace stride::units
