//! Throughput of the audio front end: decode + resample, voice activity, mono diarization.
//! Run with `cargo bench --bench audio`; criterion reports time per 60 s of call audio, so
//! real-time factor = 60 s / reported time.

use callqa::audio::{decode_file, diarize, resample, vad};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::Write;

const SECONDS: usize = 60;

/// A minute of speech-like stereo audio: alternating voiced bursts and pauses per channel.
fn synthetic_call(rate: u32) -> (Vec<f32>, Vec<f32>) {
    let n = rate as usize * SECONDS;
    let mut left = vec![0.0f32; n];
    let mut right = vec![0.0f32; n];
    for i in 0..n {
        let t = i as f32 / rate as f32;
        let turn = (t / 4.0) as usize % 2;
        let voice = (2.0 * std::f32::consts::PI * 140.0 * t).sin()
            + 0.4 * (2.0 * std::f32::consts::PI * 1100.0 * t).sin();
        let env = (2.0 * std::f32::consts::PI * 3.0 * t).sin().abs();
        let noise = ((i as u32).wrapping_mul(2_654_435_761) as f32 / u32::MAX as f32 - 0.5) * 0.002;
        if turn == 0 {
            left[i] = 0.3 * voice * env + noise;
            right[i] = noise;
        } else {
            right[i] = 0.3 * voice * env + noise;
            left[i] = noise;
        }
    }
    (left, right)
}

fn write_wav_16bit(path: &std::path::Path, rate: u32, l: &[f32], r: &[f32]) {
    let data_len = (l.len() * 4) as u32;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("temp file"));
    let mut header = Vec::new();
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36 + data_len).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes());
    header.extend_from_slice(&2u16.to_le_bytes());
    header.extend_from_slice(&rate.to_le_bytes());
    header.extend_from_slice(&(rate * 4).to_le_bytes());
    header.extend_from_slice(&4u16.to_le_bytes());
    header.extend_from_slice(&16u16.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data_len.to_le_bytes());
    f.write_all(&header).expect("write");
    for (a, b) in l.iter().zip(r) {
        f.write_all(&((a * 32767.0) as i16).to_le_bytes())
            .expect("write");
        f.write_all(&((b * 32767.0) as i16).to_le_bytes())
            .expect("write");
    }
}

fn bench_decode(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut group = c.benchmark_group("decode_resample_60s_stereo");
    group.throughput(Throughput::Elements(SECONDS as u64));
    group.sample_size(10);
    for rate in [8000u32, 16000, 44100] {
        let (l, r) = synthetic_call(rate);
        let path = dir.path().join(format!("call_{rate}.wav"));
        write_wav_16bit(&path, rate, &l, &r);
        group.bench_function(format!("wav_{rate}hz"), |b| {
            b.iter(|| black_box(decode_file(&path).expect("decode")))
        });
    }
    group.finish();

    let (l, _) = synthetic_call(8000);
    let mut group = c.benchmark_group("resample_60s_mono");
    group.throughput(Throughput::Elements(SECONDS as u64));
    group.bench_function("8k_to_16k", |b| {
        b.iter(|| black_box(resample::resample(&l, 8000, 16000).expect("resample")))
    });
    group.finish();
}

fn bench_vad(c: &mut Criterion) {
    let (l, r) = synthetic_call(16000);
    let config = vad::VadConfig::default();
    let mut group = c.benchmark_group("vad_60s");
    group.throughput(Throughput::Elements(SECONDS as u64));
    group.bench_function("stereo", |b| {
        b.iter(|| black_box(vad::detect_stereo(&l, &r, &config)))
    });
    let mono: Vec<f32> = l.iter().zip(&r).map(|(a, b)| a + b).collect();
    group.bench_function("mono_with_diarization", |b| {
        b.iter(|| {
            let regions = vad::detect(&mono, &config);
            black_box(diarize::attribute(&mono, &regions))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_decode, bench_vad);
criterion_main!(benches);
