// The native addon's Relu and Square part (unary.cc), as blas-matmul.cc registers it.
#pragma once
#include <napi.h>

// Adds unary() to the addon's exports.
void InitUnary(Napi::Env env, Napi::Object exports);
