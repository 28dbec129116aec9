/**
 * The search database as Kysely sees it. The projection's SQL is written by hand (full-text and
 * trigram operators), so its tables are reached through `sql` templates rather than typed
 * builders; the kit's own tables come with bootstrapService.
 */
export type SearchDatabase = Record<string, never>;
