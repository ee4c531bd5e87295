//! CTranslate2 Whisper → whisper.cpp ggml model conversion (`callqa model import`).
//!
//! The ggml file, as whisper.cpp's loader reads it: i32 magic `ggml`; 11 i32 hyperparameters
//! (n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx,
//! n_text_state, n_text_head, n_text_layer, n_mels, ftype); the mel filterbank (i32 n_mel,
//! i32 201, f32 values); the byte-level BPE vocabulary (i32 count, then i32 length + bytes per
//! token, by id, special tokens left for whisper.cpp to synthesise); then tensor records
//! (i32 n_dims, i32 name length, i32 type, dims innermost first, name, data).

use super::ct2::{Ct2Error, Ct2Model};
use super::mel::{mel_filters, N_BINS};
use half::f16;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// "ggml", the first four bytes of every whisper.cpp model file (little-endian).
pub(crate) const MAGIC: u32 = 0x6767_6d6c;
/// whisper.cpp multiplies the file type by this and adds it (quantisation format version 2).
const QNT_VERSION_OFFSET: i32 = 2 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantization {
    F16,
    Q8_0,
    Q5_1,
}

impl std::str::FromStr for Quantization {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "f16" => Ok(Quantization::F16),
            "q8_0" => Ok(Quantization::Q8_0),
            "q5_1" => Ok(Quantization::Q5_1),
            other => Err(format!(
                "unknown quantization {other:?}: use f16, q8_0 or q5_1"
            )),
        }
    }
}

impl std::fmt::Display for Quantization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Quantization::F16 => "f16",
            Quantization::Q8_0 => "q8_0",
            Quantization::Q5_1 => "q5_1",
        })
    }
}

impl Quantization {
    /// The header's ftype as whisper.cpp decodes it (ggml_ftype, plus the version offset).
    fn file_type(self) -> i32 {
        match self {
            Quantization::F16 => 1,
            Quantization::Q8_0 => QNT_VERSION_OFFSET + 7,
            Quantization::Q5_1 => QNT_VERSION_OFFSET + 9,
        }
    }

    fn tensor_type(self) -> TensorType {
        match self {
            Quantization::F16 => TensorType::F16,
            Quantization::Q8_0 => TensorType::Q8_0,
            Quantization::Q5_1 => TensorType::Q5_1,
        }
    }
}

/// ggml tensor types (values of `enum ggml_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorType {
    F32 = 0,
    F16 = 1,
    Q5_1 = 7,
    Q8_0 = 8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    pub n_vocab: usize,
    pub n_audio_ctx: usize,
    pub n_audio_state: usize,
    pub n_audio_head: usize,
    pub n_audio_layer: usize,
    pub n_text_ctx: usize,
    pub n_text_state: usize,
    pub n_text_head: usize,
    pub n_text_layer: usize,
    pub n_mels: usize,
}

#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub n_vocab: i32,
    pub n_audio_layer: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub multilingual: bool,
    pub tensors_written: usize,
    pub bytes_written: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Ct2(#[from] Ct2Error),
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Every tensor whisper.cpp's loader expects, with its numpy-order shape (outermost first).
pub fn expected_tensors(h: &Hparams) -> Vec<(String, Vec<usize>)> {
    let (sa, st) = (h.n_audio_state, h.n_text_state);
    let mut t: Vec<(String, Vec<usize>)> = vec![
        (
            "encoder.positional_embedding".into(),
            vec![h.n_audio_ctx, sa],
        ),
        ("encoder.conv1.weight".into(), vec![sa, h.n_mels, 3]),
        ("encoder.conv1.bias".into(), vec![sa, 1]),
        ("encoder.conv2.weight".into(), vec![sa, sa, 3]),
        ("encoder.conv2.bias".into(), vec![sa, 1]),
        ("encoder.ln_post.weight".into(), vec![sa]),
        ("encoder.ln_post.bias".into(), vec![sa]),
        (
            "decoder.positional_embedding".into(),
            vec![h.n_text_ctx, st],
        ),
        ("decoder.token_embedding.weight".into(), vec![h.n_vocab, st]),
        ("decoder.ln.weight".into(), vec![st]),
        ("decoder.ln.bias".into(), vec![st]),
    ];
    let attention = |t: &mut Vec<(String, Vec<usize>)>, p: &str, n: usize| {
        t.push((format!("{p}.query.weight"), vec![n, n]));
        t.push((format!("{p}.query.bias"), vec![n]));
        t.push((format!("{p}.key.weight"), vec![n, n]));
        t.push((format!("{p}.value.weight"), vec![n, n]));
        t.push((format!("{p}.value.bias"), vec![n]));
        t.push((format!("{p}.out.weight"), vec![n, n]));
        t.push((format!("{p}.out.bias"), vec![n]));
    };
    let block = |t: &mut Vec<(String, Vec<usize>)>, p: &str, n: usize, cross: bool| {
        t.push((format!("{p}.mlp_ln.weight"), vec![n]));
        t.push((format!("{p}.mlp_ln.bias"), vec![n]));
        t.push((format!("{p}.mlp.0.weight"), vec![4 * n, n]));
        t.push((format!("{p}.mlp.0.bias"), vec![4 * n]));
        t.push((format!("{p}.mlp.2.weight"), vec![n, 4 * n]));
        t.push((format!("{p}.mlp.2.bias"), vec![n]));
        t.push((format!("{p}.attn_ln.weight"), vec![n]));
        t.push((format!("{p}.attn_ln.bias"), vec![n]));
        attention(t, &format!("{p}.attn"), n);
        if cross {
            t.push((format!("{p}.cross_attn_ln.weight"), vec![n]));
            t.push((format!("{p}.cross_attn_ln.bias"), vec![n]));
            attention(t, &format!("{p}.cross_attn"), n);
        }
    };
    for i in 0..h.n_audio_layer {
        block(&mut t, &format!("encoder.blocks.{i}"), sa, false);
    }
    for i in 0..h.n_text_layer {
        block(&mut t, &format!("decoder.blocks.{i}"), st, true);
    }
    t
}

/// The ggml type whisper.cpp creates each tensor with, so the loader's type and size checks pass.
pub fn tensor_type(name: &str, shape: &[usize], quant: Quantization) -> TensorType {
    if shape.len() == 3 {
        // Convolutions stay f16: whisper.cpp's conv kernels take f16 (an all-f32 file aborts).
        TensorType::F16
    } else if shape.len() == 1 || name.ends_with(".bias") || name.ends_with("positional_embedding")
    {
        TensorType::F32
    } else {
        quant.tensor_type()
    }
}

/// Converts `ct2_dir` (model.bin + tokenizer.json) into a ggml file at `out`. The file is
/// written beside `out` under a temporary name and renamed at the end, so a failure never
/// leaves something that looks like a model.
pub fn import_ct2(
    ct2_dir: &Path,
    out: &Path,
    quant: Quantization,
) -> Result<ImportSummary, ImportError> {
    let model = Ct2Model::open(&ct2_dir.join("model.bin"))?;
    if model.spec != "WhisperSpec" {
        return Err(ImportError::Invalid {
            path: ct2_dir.join("model.bin"),
            reason: format!("spec is {:?}, not a Whisper model", model.spec),
        });
    }
    let h = hparams(&model)?;
    let vocab = read_vocab(&ct2_dir.join("tokenizer.json"))?;
    let multilingual = h.n_vocab >= 51865;

    let tmp = out.with_extension("partial");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Io { path, source }
    };
    let result = (|| -> Result<(usize, u64), ImportError> {
        let file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        let mut w = BufWriter::new(file);
        let mut bytes = 0u64;
        let mut put = |w: &mut BufWriter<std::fs::File>, b: &[u8]| -> Result<(), ImportError> {
            bytes += b.len() as u64;
            w.write_all(b).map_err(io(&tmp))
        };
        put(&mut w, &MAGIC.to_le_bytes())?;
        for v in [
            h.n_vocab,
            h.n_audio_ctx,
            h.n_audio_state,
            h.n_audio_head,
            h.n_audio_layer,
            h.n_text_ctx,
            h.n_text_state,
            h.n_text_head,
            h.n_text_layer,
            h.n_mels,
        ] {
            put(&mut w, &(v as i32).to_le_bytes())?;
        }
        put(&mut w, &quant.file_type().to_le_bytes())?;

        put(&mut w, &(h.n_mels as i32).to_le_bytes())?;
        put(&mut w, &(N_BINS as i32).to_le_bytes())?;
        let filters: Vec<u8> = mel_filters(h.n_mels)
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        put(&mut w, &filters)?;

        put(&mut w, &(vocab.len() as i32).to_le_bytes())?;
        for token in &vocab {
            put(&mut w, &(token.len() as i32).to_le_bytes())?;
            put(&mut w, token)?;
        }

        let mut count = 0;
        for (name, shape) in expected_tensors(&h) {
            let data = tensor_data(&model, &name, &h)?;
            let elements: usize = shape.iter().product();
            if data.len() != elements {
                return Err(ImportError::Invalid {
                    path: ct2_dir.join("model.bin"),
                    reason: format!("{name}: {} values for shape {shape:?}", data.len()),
                });
            }
            let ttype = tensor_type(&name, &shape, quant);
            put(&mut w, &(shape.len() as i32).to_le_bytes())?;
            put(&mut w, &(name.len() as i32).to_le_bytes())?;
            put(&mut w, &(ttype as i32).to_le_bytes())?;
            for d in shape.iter().rev() {
                put(&mut w, &(*d as i32).to_le_bytes())?;
            }
            put(&mut w, name.as_bytes())?;
            put(&mut w, &encode(&data, ttype))?;
            count += 1;
        }
        let file = w.into_inner().map_err(|e| ImportError::Io {
            path: tmp.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io(&tmp))?;
        Ok((count, bytes))
    })();
    match result {
        Ok((tensors_written, bytes_written)) => {
            std::fs::rename(&tmp, out).map_err(io(out))?;
            Ok(ImportSummary {
                n_vocab: h.n_vocab as i32,
                n_audio_layer: h.n_audio_layer as i32,
                n_text_layer: h.n_text_layer as i32,
                n_mels: h.n_mels as i32,
                multilingual,
                tensors_written,
                bytes_written,
            })
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn hparams(m: &Ct2Model) -> Result<Hparams, ImportError> {
    let dim = |name: &str, i: usize| -> Result<usize, ImportError> {
        m.shape(name)?
            .get(i)
            .copied()
            .ok_or_else(|| ImportError::Invalid {
                path: PathBuf::from("model.bin"),
                reason: format!("{name} has too few dimensions"),
            })
    };
    let layers = |prefix: &str| {
        let mut n = 0;
        while m
            .get(&format!("{prefix}/layer_{n}/ffn/linear_0/weight"))
            .is_some()
        {
            n += 1;
        }
        n
    };
    let conv1 = m.shape("encoder/conv1/weight")?;
    let n_mels = conv1.get(1).copied().unwrap_or(0);
    let h = Hparams {
        n_vocab: dim("decoder/embeddings/weight", 0)?,
        n_audio_ctx: dim("encoder/position_encodings/encodings", 0)?,
        n_audio_state: dim("encoder/conv1/weight", 0)?,
        n_audio_head: m.scalar("encoder/num_heads")?.max(1) as usize,
        n_audio_layer: layers("encoder"),
        n_text_ctx: dim("decoder/position_encodings/encodings", 0)?,
        n_text_state: dim("decoder/embeddings/weight", 1)?,
        n_text_head: m.scalar("decoder/num_heads")?.max(1) as usize,
        n_text_layer: layers("decoder"),
        n_mels,
    };
    if h.n_audio_layer == 0 || h.n_text_layer == 0 || !(h.n_mels == 80 || h.n_mels == 128) {
        return Err(ImportError::Invalid {
            path: PathBuf::from("model.bin"),
            reason: format!("unexpected Whisper shape {h:?}"),
        });
    }
    Ok(h)
}

/// The values of one whisper.cpp tensor, gathered (and for fused projections, split) from CT2.
fn tensor_data(m: &Ct2Model, name: &str, h: &Hparams) -> Result<Vec<f32>, ImportError> {
    let direct = |ct2: &str| m.f32(ct2).map_err(ImportError::from);
    let part = |ct2: &str, index: usize, parts: usize| -> Result<Vec<f32>, ImportError> {
        let all = m.f32(ct2)?;
        let chunk = all.len() / parts;
        Ok(all[index * chunk..(index + 1) * chunk].to_vec())
    };
    let fixed = match name {
        "encoder.positional_embedding" => Some("encoder/position_encodings/encodings"),
        "encoder.conv1.weight" => Some("encoder/conv1/weight"),
        "encoder.conv1.bias" => Some("encoder/conv1/bias"),
        "encoder.conv2.weight" => Some("encoder/conv2/weight"),
        "encoder.conv2.bias" => Some("encoder/conv2/bias"),
        "encoder.ln_post.weight" => Some("encoder/layer_norm/gamma"),
        "encoder.ln_post.bias" => Some("encoder/layer_norm/beta"),
        "decoder.positional_embedding" => Some("decoder/position_encodings/encodings"),
        "decoder.token_embedding.weight" => Some("decoder/embeddings/weight"),
        "decoder.ln.weight" => Some("decoder/layer_norm/gamma"),
        "decoder.ln.bias" => Some("decoder/layer_norm/beta"),
        _ => None,
    };
    if let Some(ct2) = fixed {
        return direct(ct2);
    }
    // encoder.blocks.3.attn.query.weight -> side, layer, rest
    let mut it = name.splitn(4, '.');
    let (side, _, layer, rest) = (it.next(), it.next(), it.next(), it.next());
    let (Some(side), Some(layer), Some(rest)) = (side, layer, rest) else {
        return Err(ImportError::Invalid {
            path: PathBuf::from("model.bin"),
            reason: format!("no mapping for {name}"),
        });
    };
    let p = format!("{side}/layer_{layer}");
    let _ = h;
    match rest {
        "mlp_ln.weight" => direct(&format!("{p}/ffn/layer_norm/gamma")),
        "mlp_ln.bias" => direct(&format!("{p}/ffn/layer_norm/beta")),
        "mlp.0.weight" => direct(&format!("{p}/ffn/linear_0/weight")),
        "mlp.0.bias" => direct(&format!("{p}/ffn/linear_0/bias")),
        "mlp.2.weight" => direct(&format!("{p}/ffn/linear_1/weight")),
        "mlp.2.bias" => direct(&format!("{p}/ffn/linear_1/bias")),
        "attn_ln.weight" => direct(&format!("{p}/self_attention/layer_norm/gamma")),
        "attn_ln.bias" => direct(&format!("{p}/self_attention/layer_norm/beta")),
        // Self-attention: CT2 fuses Q, K and V into one projection (rows in that order).
        "attn.query.weight" => part(&format!("{p}/self_attention/linear_0/weight"), 0, 3),
        "attn.query.bias" => part(&format!("{p}/self_attention/linear_0/bias"), 0, 3),
        "attn.key.weight" => part(&format!("{p}/self_attention/linear_0/weight"), 1, 3),
        "attn.value.weight" => part(&format!("{p}/self_attention/linear_0/weight"), 2, 3),
        "attn.value.bias" => part(&format!("{p}/self_attention/linear_0/bias"), 2, 3),
        "attn.out.weight" => direct(&format!("{p}/self_attention/linear_1/weight")),
        "attn.out.bias" => direct(&format!("{p}/self_attention/linear_1/bias")),
        "cross_attn_ln.weight" => direct(&format!("{p}/attention/layer_norm/gamma")),
        "cross_attn_ln.bias" => direct(&format!("{p}/attention/layer_norm/beta")),
        // Cross-attention: Q alone, then K and V fused.
        "cross_attn.query.weight" => direct(&format!("{p}/attention/linear_0/weight")),
        "cross_attn.query.bias" => direct(&format!("{p}/attention/linear_0/bias")),
        "cross_attn.key.weight" => part(&format!("{p}/attention/linear_1/weight"), 0, 2),
        "cross_attn.value.weight" => part(&format!("{p}/attention/linear_1/weight"), 1, 2),
        "cross_attn.value.bias" => part(&format!("{p}/attention/linear_1/bias"), 1, 2),
        "cross_attn.out.weight" => direct(&format!("{p}/attention/linear_2/weight")),
        "cross_attn.out.bias" => direct(&format!("{p}/attention/linear_2/bias")),
        _ => Err(ImportError::Invalid {
            path: PathBuf::from("model.bin"),
            reason: format!("no mapping for {name}"),
        }),
    }
}

fn encode(data: &[f32], ttype: TensorType) -> Vec<u8> {
    match ttype {
        TensorType::F32 => data.iter().flat_map(|v| v.to_le_bytes()).collect(),
        TensorType::F16 => data
            .iter()
            .flat_map(|v| f16::from_f32(*v).to_le_bytes())
            .collect(),
        TensorType::Q8_0 => quantize_q8_0(data),
        TensorType::Q5_1 => quantize_q5_1(data),
    }
}

/// ggml's `block_q8_0`: per 32 values an f16 scale and 32 signed bytes (quantize_row_q8_0_ref).
pub fn quantize_q8_0(x: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(x.len() / 32 * 34);
    for block in x.chunks(32) {
        let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        for j in 0..32 {
            let v = block.get(j).copied().unwrap_or(0.0);
            out.push((v * id).round() as i8 as u8);
        }
    }
    out
}

/// ggml's `block_q5_1`: f16 scale, f16 minimum, 32 high bits, 16 bytes of low nibbles
/// (quantize_row_q5_1_ref).
pub fn quantize_q5_1(x: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(x.len() / 32 * 24);
    for block in x.chunks(32) {
        let v = |j: usize| block.get(j).copied().unwrap_or(0.0);
        let (mut min, mut max) = (f32::MAX, -f32::MAX);
        for j in 0..32 {
            min = min.min(v(j));
            max = max.max(v(j));
        }
        let d = (max - min) / 31.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        out.extend_from_slice(&f16::from_f32(min).to_le_bytes());
        let mut qh = 0u32;
        let mut qs = [0u8; 16];
        for (j, q) in qs.iter_mut().enumerate() {
            let xi0 = ((v(j) - min) * id + 0.5) as u8;
            let xi1 = ((v(j + 16) - min) * id + 0.5) as u8;
            *q = (xi0 & 0x0F) | ((xi1 & 0x0F) << 4);
            qh |= u32::from((xi0 & 0x10) >> 4) << j;
            qh |= u32::from((xi1 & 0x10) >> 4) << (j + 16);
        }
        out.extend_from_slice(&qh.to_le_bytes());
        out.extend_from_slice(&qs);
    }
    out
}

/// The BPE vocabulary as raw bytes, by id, for every id below `<|endoftext|>`.
fn read_vocab(path: &Path) -> Result<Vec<Vec<u8>>, ImportError> {
    let invalid = |reason: String| ImportError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    let vocab = json
        .pointer("/model/vocab")
        .and_then(|v| v.as_object())
        .ok_or_else(|| invalid("no model.vocab object".into()))?;
    let mut ids: HashMap<u64, &str> = HashMap::new();
    for (token, id) in vocab {
        if let Some(id) = id.as_u64() {
            ids.insert(id, token.as_str());
        }
    }
    let eot = json
        .get("added_tokens")
        .and_then(|a| a.as_array())
        .and_then(|a| {
            a.iter().find_map(|t| {
                (t.get("content")?.as_str()? == "<|endoftext|>").then(|| t.get("id")?.as_u64())?
            })
        })
        .or_else(|| vocab.get("<|endoftext|>").and_then(|v| v.as_u64()))
        .ok_or_else(|| invalid("no <|endoftext|> token".into()))?;
    let decoder = byte_decoder();
    (0..eot)
        .map(|id| {
            let token = ids
                .get(&id)
                .ok_or_else(|| invalid(format!("token id {id} missing from the vocabulary")))?;
            token
                .chars()
                .map(|c| decoder.get(&c).copied())
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(|| invalid(format!("token {token:?} is not byte-level BPE")))
        })
        .collect()
}

/// GPT-2's byte-level BPE maps every byte to a printable character; this is its inverse.
pub fn byte_decoder() -> HashMap<char, u8> {
    let mut printable: Vec<u32> = (u32::from('!')..=u32::from('~'))
        .chain(u32::from('¡')..=u32::from('¬'))
        .chain(u32::from('®')..=u32::from('ÿ'))
        .collect();
    let mut chars = printable.clone();
    let mut next = 0;
    for b in 0..256u32 {
        if !printable.contains(&b) {
            printable.push(b);
            chars.push(256 + next);
            next += 1;
        }
    }
    printable
        .iter()
        .zip(chars)
        .filter_map(|(&b, c)| Some((char::from_u32(c)?, b as u8)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::ct2::{write_model_bin, DType};
    use super::*;

    #[test]
    fn byte_decoder_inverts_gpt2_mapping() {
        let d = byte_decoder();
        assert_eq!(d.len(), 256);
        let decode = |s: &str| s.chars().map(|c| d[&c]).collect::<Vec<u8>>();
        assert_eq!(decode("Ġhello"), b" hello");
        assert_eq!(decode("Ċ"), b"\n");
        assert_eq!(decode("Ã©"), "é".as_bytes());
    }

    #[test]
    fn q8_0_blocks_round_trip_within_half_a_step() {
        let x: Vec<f32> = (0..64).map(|i| ((i as f32) * 0.37).sin() * 3.0).collect();
        let q = quantize_q8_0(&x);
        assert_eq!(q.len(), 2 * 34);
        for (b, block) in x.chunks(32).enumerate() {
            let raw = &q[b * 34..(b + 1) * 34];
            let d = f16::from_le_bytes([raw[0], raw[1]]).to_f32();
            for (j, v) in block.iter().enumerate() {
                let back = (raw[2 + j] as i8) as f32 * d;
                assert!((back - v).abs() <= d * 0.5 + 1e-3, "{back} vs {v}");
            }
        }
    }

    #[test]
    fn q5_1_blocks_round_trip_within_half_a_step() {
        let x: Vec<f32> = (0..32).map(|i| (i as f32 * 0.1) - 1.0).collect();
        let q = quantize_q5_1(&x);
        assert_eq!(q.len(), 24);
        let d = f16::from_le_bytes([q[0], q[1]]).to_f32();
        let m = f16::from_le_bytes([q[2], q[3]]).to_f32();
        let qh = u32::from_le_bytes([q[4], q[5], q[6], q[7]]);
        for (j, v) in x.iter().enumerate() {
            let (nibble, high) = if j < 16 {
                (q[8 + j] & 0x0F, (qh >> j) & 1)
            } else {
                (q[8 + j - 16] >> 4, (qh >> j) & 1)
            };
            let back = f32::from(nibble | ((high as u8) << 4)) * d + m;
            assert!((back - v).abs() <= d * 0.5 + 2e-3, "{j}: {back} vs {v}");
        }
    }

    /// A tiny but complete Whisper-shaped CT2 model: 1 layer each side, state 32, vocab 4.
    fn tiny_ct2(dir: &Path) -> Hparams {
        let h = Hparams {
            n_vocab: 51864,
            n_audio_ctx: 6,
            n_audio_state: 32,
            n_audio_head: 2,
            n_audio_layer: 1,
            n_text_ctx: 4,
            n_text_state: 32,
            n_text_head: 2,
            n_text_layer: 1,
            n_mels: 80,
        };
        let f16v = |n: usize| -> Vec<u8> {
            (0..n)
                .flat_map(|i| f16::from_f32((i % 7) as f32 * 0.1).to_le_bytes())
                .collect()
        };
        let s = 32;
        let mut vars: Vec<(String, Vec<usize>, DType, Vec<u8>)> = vec![
            (
                "encoder/conv1/weight".into(),
                vec![s, 80, 3],
                DType::F16,
                f16v(s * 240),
            ),
            ("encoder/conv1/bias".into(), vec![s], DType::F16, f16v(s)),
            (
                "encoder/conv2/weight".into(),
                vec![s, s, 3],
                DType::F16,
                f16v(s * s * 3),
            ),
            ("encoder/conv2/bias".into(), vec![s], DType::F16, f16v(s)),
            (
                "encoder/position_encodings/encodings".into(),
                vec![6, s],
                DType::F16,
                f16v(6 * s),
            ),
            (
                "encoder/layer_norm/gamma".into(),
                vec![s],
                DType::F16,
                f16v(s),
            ),
            (
                "encoder/layer_norm/beta".into(),
                vec![s],
                DType::F16,
                f16v(s),
            ),
            (
                "encoder/num_heads".into(),
                vec![],
                DType::I16,
                2i16.to_le_bytes().to_vec(),
            ),
            (
                "decoder/num_heads".into(),
                vec![],
                DType::I16,
                2i16.to_le_bytes().to_vec(),
            ),
            (
                "decoder/embeddings/weight".into(),
                vec![51864, s],
                DType::F16,
                f16v(51864 * s),
            ),
            (
                "decoder/position_encodings/encodings".into(),
                vec![4, s],
                DType::F16,
                f16v(4 * s),
            ),
            (
                "decoder/layer_norm/gamma".into(),
                vec![s],
                DType::F16,
                f16v(s),
            ),
            (
                "decoder/layer_norm/beta".into(),
                vec![s],
                DType::F16,
                f16v(s),
            ),
        ];
        for side in ["encoder", "decoder"] {
            let p = format!("{side}/layer_0");
            let mut lin = |n: &str, rows: usize, cols: usize| {
                vars.push((
                    format!("{p}/{n}/weight"),
                    vec![rows, cols],
                    DType::F16,
                    f16v(rows * cols),
                ));
                vars.push((format!("{p}/{n}/bias"), vec![rows], DType::F16, f16v(rows)));
            };
            lin("ffn/linear_0", 4 * s, s);
            lin("ffn/linear_1", s, 4 * s);
            lin("self_attention/linear_0", 3 * s, s);
            lin("self_attention/linear_1", s, s);
            if side == "decoder" {
                lin("attention/linear_0", s, s);
                lin("attention/linear_1", 2 * s, s);
                lin("attention/linear_2", s, s);
            }
            for ln in ["ffn", "self_attention", "attention"] {
                if ln == "attention" && side == "encoder" {
                    continue;
                }
                for g in ["gamma", "beta"] {
                    vars.push((
                        format!("{p}/{ln}/layer_norm/{g}"),
                        vec![s],
                        DType::F16,
                        f16v(s),
                    ));
                }
            }
        }
        let refs: Vec<(&str, Vec<usize>, DType, Vec<u8>)> = vars
            .iter()
            .map(|(n, s, d, b)| (n.as_str(), s.clone(), *d, b.clone()))
            .collect();
        let bin = write_model_bin(
            "WhisperSpec",
            &refs,
            &[("decoder/projection/weight", "decoder/embeddings/weight")],
        );
        std::fs::write(dir.join("model.bin"), bin).unwrap();
        // A byte-level vocabulary: ids 0..50256 map to distinct byte strings.
        let d = byte_decoder();
        let enc: HashMap<u8, char> = d.iter().map(|(c, b)| (*b, *c)).collect();
        let mut vocab = serde_json::Map::new();
        for id in 0..50256u32 {
            let bytes = [
                b'a' + (id % 26) as u8,
                (id / 26 % 256) as u8,
                (id / 6656) as u8,
            ];
            let token: String = bytes.iter().map(|b| enc[b]).collect();
            vocab.insert(token, serde_json::json!(id));
        }
        let tok = serde_json::json!({
            "model": {"type": "BPE", "vocab": vocab},
            "added_tokens": [{"id": 50256, "content": "<|endoftext|>"}]
        });
        std::fs::write(dir.join("tokenizer.json"), tok.to_string()).unwrap();
        h
    }

    type TensorEntry = (String, Vec<i32>, i32);

    /// Reads back a ggml file's header and tensor directory: (name, ggml dims, type).
    fn tensor_directory(path: &Path) -> (Vec<i32>, Vec<TensorEntry>) {
        let b = std::fs::read(path).unwrap();
        let int = |p: usize| i32::from_le_bytes([b[p], b[p + 1], b[p + 2], b[p + 3]]);
        assert_eq!(int(0) as u32, MAGIC);
        let header: Vec<i32> = (0..11).map(|i| int(4 + i * 4)).collect();
        let mut p = 48;
        let (n_mel, n_fft) = (int(p), int(p + 4));
        p += 8 + (n_mel * n_fft) as usize * 4;
        let n_tokens = int(p);
        p += 4;
        for _ in 0..n_tokens {
            p += 4 + int(p) as usize;
        }
        let mut tensors = Vec::new();
        while p < b.len() {
            let (dims, len, ttype) = (int(p), int(p + 4) as usize, int(p + 8));
            p += 12;
            let ne: Vec<i32> = (0..dims as usize).map(|i| int(p + 4 * i)).collect();
            p += 4 * dims as usize;
            let name = String::from_utf8(b[p..p + len].to_vec()).unwrap();
            p += len;
            let n: usize = ne.iter().map(|v| *v as usize).product();
            p += match ttype {
                0 => n * 4,
                1 => n * 2,
                8 => n / 32 * 34,
                7 => n / 32 * 24,
                t => panic!("type {t}"),
            };
            tensors.push((name, ne, ttype));
        }
        assert_eq!(p, b.len());
        (header, tensors)
    }

    #[test]
    fn converter_writes_exactly_the_tensor_set_whisper_cpp_expects() {
        let dir = tempfile::tempdir().unwrap();
        let h = tiny_ct2(dir.path());
        for quant in [Quantization::F16, Quantization::Q8_0, Quantization::Q5_1] {
            let out = dir.path().join(format!("ggml-{quant}.bin"));
            let summary = import_ct2(dir.path(), &out, quant).unwrap();
            assert!(!summary.multilingual);
            let (header, tensors) = tensor_directory(&out);
            assert_eq!(header[0], 51864);
            assert_eq!(header[4], 1, "audio layers");
            assert_eq!(header[10], quant.file_type());
            let expected = expected_tensors(&h);
            assert_eq!(tensors.len(), expected.len());
            assert_eq!(
                expected.len(),
                11 + 15 + 24,
                "whisper.cpp's count for 1+1 layers"
            );
            for ((name, ne, ttype), (ename, eshape)) in tensors.iter().zip(&expected) {
                assert_eq!(name, ename);
                let ggml_order: Vec<i32> = eshape.iter().rev().map(|d| *d as i32).collect();
                assert_eq!(ne, &ggml_order, "{name}");
                assert_eq!(*ttype, tensor_type(name, eshape, quant) as i32, "{name}");
            }
            let key_bias = tensors.iter().any(|(n, _, _)| n.ends_with("key.bias"));
            assert!(!key_bias, "whisper.cpp's key projections have no bias");
        }
    }

    #[test]
    fn a_failed_import_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        tiny_ct2(dir.path());
        let bin = std::fs::read(dir.path().join("model.bin")).unwrap();
        std::fs::write(dir.path().join("model.bin"), &bin[..bin.len() / 2]).unwrap();
        let out = dir.path().join("ggml.bin");
        assert!(import_ct2(dir.path(), &out, Quantization::F16).is_err());
        assert!(!out.exists());
        assert!(!out.with_extension("partial").exists());
    }
}
