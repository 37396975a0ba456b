// The checks every entry point of the addon makes before it touches tfjs's heap: that numbers are non-negative
// integers, and that each operand lies inside the heap's buffer. A wrong call throws instead of writing elsewhere.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace gpt_kata {

// True when [offset, offset + 4·elements) lies inside a buffer of `length` bytes and offset is 4-byte aligned.
inline bool Fits(uint64_t offset, uint64_t elements, uint64_t length) {
  return offset % 4 == 0 && offset <= length && elements <= (length - offset) / 4;
}

// Reads info[first] .. info[last] as non-negative integers into out[0 ..], leaving 0 where `skip` is (a boolean
// argument; SIZE_MAX for none). On a bad one it throws a RangeError naming `fn` and the argument, and returns false.
inline bool ReadCounts(const Napi::CallbackInfo& info, size_t first, size_t last, int64_t* out, const char* fn,
                       size_t skip = SIZE_MAX) {
  for (size_t i = first; i <= last; i++) {
    out[i - first] = 0;
    if (i == skip) continue;
    const double d = i < info.Length() && info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<int64_t>(d))) {
      Napi::RangeError::New(info.Env(), std::string(fn) + ": argument " + std::to_string(i) + " must be a non-negative integer")
          .ThrowAsJavaScriptException();
      return false;
    }
    out[i - first] = static_cast<int64_t>(d);
  }
  return true;
}

}  // namespace gpt_kata
