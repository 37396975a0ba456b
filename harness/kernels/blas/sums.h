// The native addon's sums (sums.cc), as blas-matmul.cc registers them.
#pragma once
#include <napi.h>

// Adds sumMid() to the addon's exports.
void InitSums(Napi::Env env, Napi::Object exports);
