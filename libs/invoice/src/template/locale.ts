/** A Java Locale's language and country (both may be empty). */
export interface JavaLocale {
  readonly language: string;
  readonly country: string;
}

/** Kill Bill's default locale (Locale.getDefault() of its server, TranslatorConfig's default). */
export const DEFAULT_LOCALE: JavaLocale = { language: 'en', country: 'US' };

export class InvalidLocaleError extends Error {}

const LANGUAGE = /^[a-z]{2,3}$/;
const COUNTRY = /^(?:[A-Z]{2}|[0-9]{3})$/;

/**
 * commons-lang's LocaleUtils.toLocale, which Kill Bill reads a locale path parameter and an
 * account's locale with: `fr`, `fr_FR`, `fr_FR_variant`, `_FR` (`-` accepted for `_`).
 */
export function parseJavaLocale(text: string): JavaLocale {
  const invalid = () => new InvalidLocaleError(`Invalid locale format: ${text}`);
  if (text.length < 2 || text.includes('#')) throw invalid();
  const parts = text.split(/[_-]/);
  const [language, country = '', variant] = parts;
  if (parts.length > 3 || (parts.length === 3 && !variant)) throw invalid();
  if (language === '' ? !COUNTRY.test(country) : !LANGUAGE.test(language)) throw invalid();
  if (parts.length >= 2 && country !== '' && !COUNTRY.test(country)) throw invalid();
  if (parts.length === 2 && country === '') throw invalid();
  return { language, country };
}

/** Kill Bill's LocaleUtils.localeString: the tenant key of a per-locale value, `INVOICE_TRANSLATION_fr_FR` (`…_fr_` without a country). */
export function localeKey(prefix: string, locale: JavaLocale): string {
  return `${prefix}${locale.language}_${locale.country}`;
}

/** The BCP 47 tag Intl formats with; the default locale's when Intl knows no such locale. */
export function intlTag(locale: JavaLocale): string {
  const tag = [locale.language || DEFAULT_LOCALE.language, locale.country].filter(Boolean).join('-');
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}
