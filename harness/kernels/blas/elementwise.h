// The native addon's elementwise part (elementwise.cc), as blas-matmul.cc registers and parks it.
#pragma once
#include <napi.h>

// Adds binary() to the addon's exports.
void InitElementwise(Napi::Env env, Napi::Object exports);
// Stops the elementwise helper thread's spinning before a matmul hands the cores to the BLAS's workers.
void ParkElementwiseHelper();
