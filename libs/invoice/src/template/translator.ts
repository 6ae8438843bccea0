/**
 * Kill Bill's DefaultTranslatorBase: a text is looked up in the bundle of the locale, then in the
 * default bundle, and stays itself when neither has it.
 */
export class Translator {
  constructor(
    private readonly bundle: ReadonlyMap<string, string> | undefined,
    private readonly defaultBundle: ReadonlyMap<string, string> | undefined,
  ) {}

  translate(text: string): string {
    return this.bundle?.get(text) ?? this.defaultBundle?.get(text) ?? text;
  }

  /** Null stays null (an item without a plan has no plan name to translate). */
  translateOptional(text: string | null | undefined): string | null {
    return text === null || text === undefined ? null : this.translate(text);
  }
}
