/**
 * Who asked for a generator, for error messages: the public function, and the dotted prefix of
 * the generator's options inside that function's options ("crypto." for writeSyntheticFiles),
 * so a problem found after parsing is reported at the path the caller wrote.
 */
export interface OptionSite {
  readonly where: string;
  /** "" when the generator was called directly. */
  readonly prefix: string;
}
