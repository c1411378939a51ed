#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| msgraph_sync_tests::fuzzing::csdl_read(data));
