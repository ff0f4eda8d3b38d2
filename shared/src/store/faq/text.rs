//! Question and answer text: HTML-entity encoding for storage, its exact inverse for reading,
//! and the normalised form that decides whether two questions are the same.

use sha2::{Digest, Sha256};

/// The stored form: `&`, `<`, `>`, `"` and `'` as entities (`&` first, so text that already holds
/// entities is encoded once more and reads back unchanged).
pub fn encode(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// The inverse of [`encode`]: `decode(&encode(s)) == s` for every string. Decoding is one pass,
/// so `&amp;lt;` becomes `&lt;`, never `<`.
pub fn decode(stored: &str) -> String {
    html_escape::decode_html_entities(stored).into_owned()
}

/// The form two questions are compared in: trimmed, white space runs collapsed to one space,
/// case-folded (upper then lower case, so `ß`/`SS` and final/medial sigma compare equal).
pub fn normalise(question: &str) -> String {
    let collapsed = question.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.to_uppercase().to_lowercase()
}

/// The key of a question's uniqueness claim: hex SHA-256 of its normalised form (fixed length,
/// whatever the question's length).
pub fn question_key(question: &str) -> String {
    hex::encode(Sha256::digest(normalise(question).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{seq::SliceRandom, Rng};

    const TRICKY: [&str; 24] = [
        "",
        "plain",
        "&",
        "&amp;",
        "&amp;amp;",
        "&lt;script&gt;",
        "<script>alert('x')</script>",
        "\"quoted\" and 'single'",
        "&#x27;",
        "&#39;",
        "&#60;",
        "&copy; &nbsp; &unknown; &;",
        "& amp;",
        "&&&;;;",
        "&#x;",
        "&#;",
        "a &amp b",
        "😀 emoji 👍🏽",
        "Привет, мир",
        "こんにちは世界",
        "مرحبا بالعالم",
        "tab\tnew\nline\r\n",
        "\u{0}\u{1f}\u{7f}",
        "/ \\ ` = ?",
    ];

    #[test]
    fn decode_inverts_encode_on_tricky_text() {
        for s in TRICKY {
            assert_eq!(decode(&encode(s)), s, "round trip of {s:?}");
            // Encoded twice, decoded twice: still exact (updates store the decoded text again).
            assert_eq!(decode(&decode(&encode(&encode(s)))), s);
        }
        assert_eq!(encode("&amp;"), "&amp;amp;");
        assert_eq!(encode("<b>\"'"), "&lt;b&gt;&quot;&#x27;");
        assert_eq!(decode("&amp;lt;"), "&lt;");
    }

    #[test]
    fn decode_inverts_encode_on_random_mixes() {
        let pieces = [
            "&", "amp", ";", "#", "x", "27", "<", ">", "\"", "'", "lt", "gt", "quot", "nbsp", "copy", " ", "é", "😀",
            "\u{0}", "9", "3c", "X", "&amp;", "&lt;", "&#x27;", "&#38;", "\n",
        ];
        let mut rng = rand::thread_rng();
        for _ in 0..5_000 {
            let n = rng.gen_range(0..16);
            let s: String = (0..n).map(|_| *pieces.choose(&mut rng).unwrap()).collect();
            assert_eq!(decode(&encode(&s)), s, "round trip of {s:?}");
        }
        for _ in 0..2_000 {
            let s: String = (0..rng.gen_range(0..24)).map(|_| rng.gen::<char>()).collect();
            assert_eq!(decode(&encode(&s)), s, "round trip of {s:?}");
        }
    }

    #[test]
    fn normalised_questions() {
        assert_eq!(normalise("  How do   I\treset\nmy PASSWORD? "), "how do i reset my password?");
        assert_eq!(normalise("STRASSE"), normalise("straße"));
        assert_eq!(normalise("ΟΔΟΣ"), normalise("οδοσ"));
        assert_ne!(normalise("a&b"), normalise("a&amp;b"));
        assert_eq!(question_key("Reset?"), question_key(" reset? "));
        assert_eq!(question_key("x").len(), 64);
    }
}
