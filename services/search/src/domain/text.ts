/**
 * Text rules shared by indexing and querying, so both sides see the same words.
 *
 * Normalisation: Unicode NFKD, combining marks removed ("café" → "cafe"), lowercase; a word is a
 * run of ASCII letters and digits, everything else separates words ("type-c" → "type", "c").
 * Scripts other than Latin therefore carry no searchable words (emoji-only queries match nothing).
 *
 * Indonesian has no stemmer in PostgreSQL. Rather than a full Nazief–Adriani stemmer (whose
 * prefix rules mangle brand names and product nouns), the index keeps every word as written and
 * adds its stem under one rule: the enclitic particles -nya, -lah, -kah are stripped when at
 * least four letters remain ("sepatunya" → "sepatu"). Everything else (affixed verbs, English
 * plurals) is reached by prefix matching of query words and by the trigram typo correction.
 */

const PARTICLES = ["nya", "lah", "kah"] as const;

/** Lowercase, accents removed. */
export function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** The searchable words of a text, in order. */
export function words(text: string): string[] {
  return normalize(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A word's stem under the particle rule, or the word itself. */
export function stem(word: string): string {
  for (const p of PARTICLES) {
    if (word.endsWith(p) && word.length - p.length >= 4) return word.slice(0, -p.length);
  }
  return word;
}

/** The words to index for a text: each word, plus its stem where the stem differs. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    out.push(w);
    const s = stem(w);
    if (s !== w) out.push(s);
  }
  return out;
}

/** Words of a text joined by single spaces (the normalised title). */
export function normalizedPhrase(text: string): string {
  return words(text).join(" ");
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** HTML-escapes a text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * The title HTML-escaped with each word that a query term matched wrapped in `<em>…</em>`.
 * A term matches a word it equals, or that it begins when the term is a prefix term.
 */
export function highlight(title: string, terms: readonly { word: string; prefix: boolean }[]): string {
  if (terms.length === 0) return escapeHtml(title);
  // Split into runs of word characters (letters, digits, marks) and the rest, keeping both.
  const parts = title.split(/([\p{L}\p{N}\p{M}]+)/u);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return escapeHtml(part);
      const ws = words(part);
      const hit = ws.some((w) => {
        const s = stem(w);
        return terms.some((t) => w === t.word || s === t.word || (t.prefix && w.startsWith(t.word)));
      });
      return hit ? `<em>${escapeHtml(part)}</em>` : escapeHtml(part);
    })
    .join("");
}

/**
 * How many edits a misspelt word may be from the word it is corrected to: none under three
 * letters (too many short words are one edit apart), one up to five letters, two beyond.
 */
export function maxTypoEdits(word: string): number {
  if (word.length < 3) return 0;
  return word.length <= 5 ? 1 : 2;
}
