// The native addon's softmax part (softmax.cc), as blas-matmul.cc registers it.
#pragma once
#include <napi.h>

// Adds softmax() and softmaxFused to the addon's exports.
void InitSoftmax(Napi::Env env, Napi::Object exports);
