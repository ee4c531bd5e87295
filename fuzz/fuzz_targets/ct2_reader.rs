//! Arbitrary bytes as a CTranslate2 model.bin: parse, then read every variable back (f32
//! conversion, int8 dequantisation through `<name>_scale`, aliases) and as a scalar.
#![no_main]
use callqa::asr::ct2::Ct2Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(model) = Ct2Model::parse("fuzz.bin".into(), data.to_vec()) else {
        return;
    };
    let names: Vec<String> = model.names().map(str::to_string).collect();
    for name in &names {
        let _ = model.shape(name);
        let _ = model.f32(name);
        let _ = model.scalar(name);
    }
    let _ = model.f32("encoder/num_heads");
});
