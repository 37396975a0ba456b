// The native addon's transpose and broadcast (transpose.cc), as blas-matmul.cc registers them.
#pragma once
#include <napi.h>

// Adds transpose() and broadcast() to the addon's exports.
void InitTranspose(Napi::Env env, Napi::Object exports);
