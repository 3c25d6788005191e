//! Other languages' library functions that the reference's behaviour depends on, reproduced
//! byte for byte. Each lives in one place, named after the function it reproduces.

pub mod python;
