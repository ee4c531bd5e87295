//! What an English word sounds like, roughly: its consonant skeleton. Whisper on telephone audio
//! most often mishears a word as another that shares its consonants and differs in a vowel or in
//! voicing ("live" → "leave", "pills" → "bills", "train" → "terrain", "living" → "leaving"),
//! so two words with one skeleton are likely one word misheard. A skeleton is far too coarse to
//! decide anything on its own; callers use it only as weak evidence beside exact words.

/// The consonant skeleton of an English word: vowels, `h`, `w` and `y` dropped; voiced and
/// voiceless pairs as one (b/p, d/t, g/k, v/f, z/s); `c` as `k` or `s` by the next letter;
/// `ph` as `f`, `ck` and `q` as `k`, `x` as `ks`, a `gh` as nothing; doubled sounds as one.
/// `None` for words that are not plain ASCII letters (apostrophes dropped), of fewer than four
/// letters, or whose skeleton has fewer than three sounds: short skeletons are shared by too
/// many everyday words ("and" and "end", "not" and "want", "into" and "end").
pub fn skeleton(word: &str) -> Option<String> {
    let letters: Vec<u8> = word
        .bytes()
        .filter(|&b| b != b'\'')
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if letters.len() < 4 || !letters.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(letters.len());
    let mut i = 0;
    while i < letters.len() {
        let c = letters[i];
        let next = letters.get(i + 1).copied();
        let (sound, width): (&[u8], usize) = match (c, next) {
            (b'p', Some(b'h')) => (b"f", 2),
            (b'g', Some(b'h')) => (b"", 2),
            (b'c', Some(b'k')) => (b"k", 2),
            (b'c', Some(b'e' | b'i' | b'y')) => (b"s", 1),
            (b'c' | b'q' | b'k' | b'g', _) => (b"k", 1),
            (b'x', _) => (b"ks", 1),
            (b'b', _) => (b"p", 1),
            (b'd', _) => (b"t", 1),
            (b'v', _) => (b"f", 1),
            (b'z', _) => (b"s", 1),
            (b'a' | b'e' | b'i' | b'o' | b'u' | b'h' | b'w' | b'y', _) => (b"", 1),
            _ => (std::slice::from_ref(&letters[i]), 1),
        };
        for &s in sound {
            if out.last() != Some(&s) {
                out.push(s);
            }
        }
        i += width;
    }
    (out.len() >= 3).then(|| String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::skeleton;

    #[test]
    fn words_misheard_on_the_telephone_share_a_skeleton() {
        for (a, b) in [
            ("living", "leaving"),
            ("pills", "bills"),
            ("train", "terrain"),
            ("tablets", "tablet's"),
            ("bridge", "britch"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
            assert!(skeleton(a).is_some(), "{a}");
        }
    }

    #[test]
    fn different_words_and_short_skeletons() {
        for (a, b) in [
            ("burden", "button"),
            ("pills", "plans"),
            ("leaving", "laughing"),
            ("myself", "my"),
        ] {
            assert_ne!(skeleton(a), skeleton(b), "{a} / {b}");
        }
        // Short, or not an English word: no skeleton.
        for w in [
            "die", "way", "you", "live", "gone", "into", "want", "שלום", "жить", "4th", "",
        ] {
            assert_eq!(skeleton(w), None, "{w}");
        }
    }
}
