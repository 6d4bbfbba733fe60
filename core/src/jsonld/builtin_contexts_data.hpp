// The built-in contexts as text (generated into builtin_contexts_data.cpp, sorted by URL).
#pragma once

#include <string_view>
#include <vector>

namespace laurel::jsonld::detail {

struct BuiltinContextText {
  std::string_view url;
  std::string_view json;
};

const std::vector<BuiltinContextText>& builtin_context_texts();

}  // namespace laurel::jsonld::detail
