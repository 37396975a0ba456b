# node-gyp build of the native addon: the BLAS matmul (blas-matmul.cc; OpenBLAS on Linux, Accelerate on macOS) and
# the elementwise, softmax, sum and copy kernels (elementwise.cc, unary.cc, softmax.cc, sums.cc, transpose.cc), on the
# calling thread or shared with one helper thread (thread-pair.cc).
# Built by scripts/build-blas.ts (npm install runs it; npm run build:blas reruns it); optional everywhere.
{
  "targets": [
    {
      "target_name": "blas_matmul",
      "sources": ["blas-matmul.cc", "elementwise.cc", "softmax.cc", "sums.cc", "thread-pair.cc", "transpose.cc", "unary.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-ffp-contract=off", "-pthread"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["OS=='mac'", {
          "defines": ["GPT_KATA_ACCELERATE"],
          "libraries": ["-framework Accelerate"],
          "xcode_settings": {
            "MACOSX_DEPLOYMENT_TARGET": "11.0",
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=off", "-Wno-deprecated-declarations"]
          }
        }],
        ["OS!='mac'", {
          "libraries": ["-lopenblas"]
        }]
      ]
    }
  ]
}
