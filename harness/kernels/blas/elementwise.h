// The native addon's elementwise part (elementwise.cc), as blas-matmul.cc registers it.
#pragma once
#include <napi.h>

// Adds binary() to the addon's exports.
void InitElementwise(Napi::Env env, Napi::Object exports);
