//! What the CPU can run beyond the baseline x86-64 target the program is built for.
//!
//! A few innermost loops (`cluster::kernels`, the MinHash loop in `features::neardup`) are
//! compiled a second time with wider vector instructions and call these checks to choose a
//! build at run time. std detects the features once and caches the answer, so a check costs a
//! load and a test. The wider builds perform the same operations in the same order, so the
//! choice never changes an output.

/// True when the CPU executes AVX2 instructions.
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

/// True when the CPU executes AVX-512F and AVX-512DQ instructions (64-bit lane multiplies).
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx512dq() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512dq")
}
