#pragma once
#include <attune/export.hpp>

namespace attune {
ATTUNE_API const char* version() noexcept;
}
