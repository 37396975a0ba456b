// The native addon's transpose (transpose.cc), as blas-matmul.cc registers it.
#pragma once
#include <napi.h>

// Adds transpose() to the addon's exports.
void InitTranspose(Napi::Env env, Napi::Object exports);
