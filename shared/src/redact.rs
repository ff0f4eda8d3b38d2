//! Removing personal data from free text that is kept for audit (the reason of a ticket deletion).

/// `text` with email addresses replaced by `[email]` and phone, card or account numbers (a run of
/// digits, spaces, dots, dashes, slashes, parentheses and `+` holding 7 or more digits) by `[number]`.
pub fn personal_data(text: &str) -> String {
    let no_emails: Vec<String> = text
        .split(' ')
        .map(|word| if is_email_like(word) { "[email]".to_owned() } else { word.to_owned() })
        .collect();
    numbers(&no_emails.join(" "))
}

fn is_email_like(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    match w.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.'),
        None => false,
    }
}

fn numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let joiner = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '/' | '(' | ')' | '+');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_ascii_digit() || chars[i] == '+' || chars[i] == '(') {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && joiner(chars[j]) {
            j += 1;
        }
        // Keep trailing separators (a sentence's space or full stop) outside the number.
        let mut end = j;
        while end > i && !chars[end - 1].is_ascii_digit() && chars[end - 1] != ')' {
            end -= 1;
        }
        let digits = chars[i..end].iter().filter(|c| c.is_ascii_digit()).count();
        if digits >= 7 {
            out.push_str("[number]");
        } else {
            out.extend(&chars[i..end]);
        }
        out.extend(&chars[end..j]);
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::personal_data;

    #[test]
    fn emails_and_long_numbers_go() {
        assert_eq!(
            personal_data("Issue resolved through other means john@example.com."),
            "Issue resolved through other means [email]"
        );
        assert_eq!(personal_data("call me at +1 (555) 123-4567 today"), "call me at [number] today");
        assert_eq!(personal_data("card 4111 1111 1111 1111, thanks"), "card [number], thanks");
        assert_eq!(personal_data("fixed in 2 days, ticket 12345"), "fixed in 2 days, ticket 12345");
        assert_eq!(personal_data("Issue resolved through other means"), "Issue resolved through other means");
    }
}
