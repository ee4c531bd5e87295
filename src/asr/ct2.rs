//! Reader for CTranslate2 `model.bin` files (the format faster-whisper models ship in).
//!
//! Layout (little endian), as written by CTranslate2's `model_spec.py`: u32 binary version,
//! string spec name, u32 spec revision, u32 variable count, then per variable: string name,
//! u8 rank, rank × u32 dims, u8 dtype, u32 byte count, bytes; then u32 alias count and per
//! alias two strings (alias, target). A string is a u16 length that counts a trailing NUL,
//! then the bytes and the NUL.

use half::{bf16, f16};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Ct2Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: not a CTranslate2 model file (truncated or corrupt at byte {1})")]
    Truncated(String, usize),
    #[error("{0}: unsupported CTranslate2 binary version {1}")]
    Version(String, u32),
    #[error("{file}: variable {name} has unsupported dtype code {code}")]
    DType {
        file: String,
        name: String,
        code: u8,
    },
    #[error("{file}: variable {name}: {reason}")]
    Variable {
        file: String,
        name: String,
        reason: String,
    },
    #[error("{file}: missing variable {name}")]
    Missing { file: String, name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => return None,
        })
    }

    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub shape: Vec<usize>,
    pub dtype: DType,
    offset: usize,
    len: usize,
}

impl Variable {
    pub fn elements(&self) -> usize {
        self.shape.iter().product::<usize>().max(1)
    }
}

pub struct Ct2Model {
    file: String,
    data: Vec<u8>,
    pub spec: String,
    pub revision: u32,
    variables: HashMap<String, Variable>,
    aliases: HashMap<String, String>,
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    file: &'a str,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Ct2Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| Ct2Error::Truncated(self.file.to_string(), self.pos))?;
        let slice = &self.data[self.pos..end];
        self.pos = end;
        Ok(slice)
    }
    fn u8(&mut self) -> Result<u8, Ct2Error> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, Ct2Error> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, Ct2Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn string(&mut self) -> Result<String, Ct2Error> {
        let len = self.u16()? as usize;
        let bytes = self.take(len)?;
        let text = bytes.strip_suffix(&[0]).unwrap_or(bytes);
        Ok(String::from_utf8_lossy(text).into_owned())
    }
}

impl Ct2Model {
    pub fn open(path: &Path) -> Result<Ct2Model, Ct2Error> {
        let data = std::fs::read(path).map_err(|source| Ct2Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ct2Model::parse(path.display().to_string(), data)
    }

    pub fn parse(file: String, data: Vec<u8>) -> Result<Ct2Model, Ct2Error> {
        let mut variables = HashMap::new();
        let mut aliases = HashMap::new();
        let (spec, revision) = {
            let mut c = Cursor {
                data: &data,
                pos: 0,
                file: &file,
            };
            let version = c.u32()?;
            if !(3..=6).contains(&version) {
                return Err(Ct2Error::Version(file.clone(), version));
            }
            let spec = c.string()?;
            let revision = c.u32()?;
            let count = c.u32()?;
            for _ in 0..count {
                let name = c.string()?;
                let rank = c.u8()? as usize;
                let mut shape = Vec::with_capacity(rank);
                for _ in 0..rank {
                    shape.push(c.u32()? as usize);
                }
                let code = c.u8()?;
                let dtype = DType::from_code(code).ok_or_else(|| Ct2Error::DType {
                    file: file.clone(),
                    name: name.clone(),
                    code,
                })?;
                let len = c.u32()? as usize;
                let offset = c.pos;
                c.take(len)?;
                let var = Variable {
                    shape,
                    dtype,
                    offset,
                    len,
                };
                let expected = var
                    .shape
                    .iter()
                    .try_fold(dtype.size(), |acc, &d| acc.checked_mul(d));
                if expected != Some(len) {
                    return Err(Ct2Error::Variable {
                        file: file.clone(),
                        name,
                        reason: format!("{len} bytes do not match shape {:?}", var.shape),
                    });
                }
                variables.insert(name, var);
            }
            // Older binaries have no alias section; a clean end is fine.
            if c.pos < data.len() {
                let count = c.u32()?;
                for _ in 0..count {
                    let alias = c.string()?;
                    let target = c.string()?;
                    aliases.insert(alias, target);
                }
            }
            (spec, revision)
        };
        Ok(Ct2Model {
            file,
            data,
            spec,
            revision,
            variables,
            aliases,
        })
    }

    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables
            .get(name)
            .or_else(|| self.aliases.get(name).and_then(|t| self.variables.get(t)))
    }

    pub fn variable(&self, name: &str) -> Result<&Variable, Ct2Error> {
        self.get(name).ok_or_else(|| Ct2Error::Missing {
            file: self.file.clone(),
            name: name.to_string(),
        })
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.variables.keys().map(String::as_str)
    }

    pub fn shape(&self, name: &str) -> Result<&[usize], Ct2Error> {
        Ok(&self.variable(name)?.shape)
    }

    /// The variable's values as f32, dequantising int8 weights with their `<name>_scale`
    /// (CTranslate2 stores `round(w * scale)` with one scale per output row).
    pub fn f32(&self, name: &str) -> Result<Vec<f32>, Ct2Error> {
        let var = self.variable(name)?;
        let bytes = &self.data[var.offset..var.offset + var.len];
        let values: Vec<f32> = match var.dtype {
            DType::F32 => bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            DType::F16 => bytes
                .chunks_exact(2)
                .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            DType::BF16 => bytes
                .chunks_exact(2)
                .map(|b| bf16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            DType::I16 => bytes
                .chunks_exact(2)
                .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])))
                .collect(),
            DType::I32 => bytes
                .chunks_exact(4)
                .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32)
                .collect(),
            DType::I8 => {
                let scale_name = format!("{}_scale", self.resolve(name));
                // The scales must be another, non-int8 variable: a `<name>_scale` that is (an
                // alias of) an int8 variable would dequantise through its own scale and recurse
                // without end (stack overflow; found by review of fuzz/ct2_reader).
                if self.get(&scale_name).is_some_and(|s| s.dtype == DType::I8) {
                    return Err(Ct2Error::Variable {
                        file: self.file.clone(),
                        name: name.to_string(),
                        reason: format!("its scale {scale_name} is int8 too"),
                    });
                }
                let scales = self.f32(&scale_name)?;
                let rows = var.shape.first().copied().unwrap_or(1).max(1);
                if scales.len() != rows && scales.len() != 1 {
                    return Err(Ct2Error::Variable {
                        file: self.file.clone(),
                        name: name.to_string(),
                        reason: format!("{} scales for {rows} rows", scales.len()),
                    });
                }
                let per_row = var.elements() / rows;
                bytes
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| {
                        let scale = scales[if scales.len() == 1 { 0 } else { i / per_row }];
                        f32::from(b as i8) / if scale == 0.0 { 1.0 } else { scale }
                    })
                    .collect()
            }
        };
        Ok(values)
    }

    /// A scalar variable (e.g. `encoder/num_heads`) as an integer.
    pub fn scalar(&self, name: &str) -> Result<i64, Ct2Error> {
        let values = self.f32(name)?;
        values
            .first()
            .map(|v| *v as i64)
            .ok_or_else(|| Ct2Error::Variable {
                file: self.file.clone(),
                name: name.to_string(),
                reason: "empty scalar".into(),
            })
    }

    fn resolve<'a>(&'a self, name: &'a str) -> &'a str {
        if self.variables.contains_key(name) {
            name
        } else {
            self.aliases.get(name).map_or(name, String::as_str)
        }
    }
}

/// Writes a CTranslate2 model.bin; used by tests to build small models.
pub fn write_model_bin(
    spec: &str,
    variables: &[(&str, Vec<usize>, DType, Vec<u8>)],
    aliases: &[(&str, &str)],
) -> Vec<u8> {
    let mut out = Vec::new();
    let string = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    };
    out.extend_from_slice(&6u32.to_le_bytes());
    string(&mut out, spec);
    out.extend_from_slice(&3u32.to_le_bytes());
    out.extend_from_slice(&(variables.len() as u32).to_le_bytes());
    for (name, shape, dtype, bytes) in variables {
        string(&mut out, name);
        out.push(shape.len() as u8);
        for d in shape {
            out.extend_from_slice(&(*d as u32).to_le_bytes());
        }
        out.push(match dtype {
            DType::F32 => 0,
            DType::I8 => 1,
            DType::I16 => 2,
            DType::I32 => 3,
            DType::F16 => 4,
            DType::BF16 => 5,
        });
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
    for (a, t) in aliases {
        string(&mut out, a);
        string(&mut out, t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32_bytes(v: &[f32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    fn sample() -> Vec<u8> {
        let f16s: Vec<u8> = [1.5f32, -2.0, 0.25, 4.0]
            .iter()
            .flat_map(|x| f16::from_f32(*x).to_le_bytes())
            .collect();
        write_model_bin(
            "WhisperSpec",
            &[
                ("a/weight", vec![2, 2], DType::F16, f16s),
                ("q/weight", vec![2, 2], DType::I8, vec![127, 0, 255, 10]),
                (
                    "q/weight_scale",
                    vec![2],
                    DType::F32,
                    f32_bytes(&[127.0, 10.0]),
                ),
                ("n", vec![], DType::I16, 6i16.to_le_bytes().to_vec()),
            ],
            &[("b/weight", "a/weight")],
        )
    }

    #[test]
    fn reads_variables_aliases_and_int8_with_scales() {
        let m = Ct2Model::parse("x".into(), sample()).unwrap();
        assert_eq!(m.spec, "WhisperSpec");
        assert_eq!(m.f32("a/weight").unwrap(), vec![1.5, -2.0, 0.25, 4.0]);
        assert_eq!(m.f32("b/weight").unwrap(), vec![1.5, -2.0, 0.25, 4.0]);
        assert_eq!(m.f32("q/weight").unwrap(), vec![1.0, 0.0, -0.1, 1.0]);
        assert_eq!(m.scalar("n").unwrap(), 6);
        assert!(matches!(m.f32("zzz"), Err(Ct2Error::Missing { .. })));
    }

    #[test]
    fn truncated_and_garbage_input_is_an_error_not_a_panic() {
        let full = sample();
        for cut in [0, 3, 10, 40, full.len() - 30] {
            let r = Ct2Model::parse("x".into(), full[..cut].to_vec());
            assert!(r.is_err(), "cut at {cut}");
        }
        let garbage: Vec<u8> = (0..500u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(Ct2Model::parse("g".into(), garbage).is_err());
        // An absurd variable count must not allocate or loop forever.
        let mut huge = full.clone();
        let pos = 4 + 2 + "WhisperSpec".len() + 1 + 4;
        huge[pos..pos + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Ct2Model::parse("h".into(), huge).is_err());
    }
}
